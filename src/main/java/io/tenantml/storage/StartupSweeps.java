package io.tenantml.storage;

import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Every node, once it has started, sweeps the data directory of what dead nodes and half-done steps left: writes
 * that never committed ({@link StorageConfig#abandonedWriteAfter()}), and whatever each feature's
 * {@link AfterStartSweep} judges (files of tenants that no longer exist, dataset files no version names, stale
 * upload spool files). It runs on a thread of its own, not on the start: on a data directory of 300 tenants and
 * 33,000 files the sweeps took some 10 s, which a node in a rolling restart spent not ready (docs/benchmarks.md,
 * "Start-up sweeps of the data directory"). One walk per tenant serves every part.
 *
 * <p>Beside requests, the age limits are taken from the moment the node started, not from when the sweep reaches a
 * file: whatever this node writes after its start is younger than that, so only writes of other nodes rely on the
 * limit, as they did when the sweep ran before the node served. What one tenant, part or file fails is logged and
 * skipped.
 */
@ApplicationScoped
public class StartupSweeps {

    private static final Logger LOG = Logger.getLogger(StartupSweeps.class);

    /** What one sweep did. */
    public record Result(int tenants, int abandonedWritesDeleted, int skipped, int failures, boolean stopped) {}

    @Inject
    BlobStore blobs;

    @Inject
    StorageConfig config;

    @Inject
    Clock clock;

    @Inject
    @All
    List<AfterStartSweep> parts;

    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        for (Thread thread : running) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Starts a sweep on a thread of its own and returns at once; the future completes when it ends. */
    public CompletableFuture<Result> start() {
        Instant started = clock.instant();
        CompletableFuture<Result> done = new CompletableFuture<>();
        Thread.ofPlatform().name("tenantml-startup-sweep").daemon().start(() -> {
            running.add(Thread.currentThread());
            try {
                done.complete(sweep(started));
            } catch (RuntimeException | Error e) {
                LOG.error("Start-up sweep of the data directory failed", e);
                done.completeExceptionally(e);
            } finally {
                running.remove(Thread.currentThread());
            }
        });
        return done;
    }

    private Result sweep(Instant started) {
        long t0 = System.nanoTime();
        List<AfterStartSweep> ordered = parts.stream()
                .sorted(Comparator.comparingInt(AfterStartSweep::order))
                .toList();
        Instant abandonedBefore = started.minus(config.abandonedWriteAfter());
        List<TenantId> tenants;
        try {
            tenants = blobs.tenants();
        } catch (IOException | RuntimeException e) {
            LOG.error("Start-up sweep could not list the tenants' directories", e);
            tenants = List.of();
        }
        int abandoned = 0;
        int skipped = 0;
        int failures = 0;
        int swept = 0;
        boolean stopped = false;
        for (TenantId tenant : tenants) {
            if (stopping) {
                stopped = true;
                break;
            }
            swept++;
            BlobStore.SweptFiles files;
            try {
                files = blobs.sweep(tenant, abandonedBefore);
            } catch (IOException | RuntimeException e) {
                failures++;
                LOG.errorf(e, "Start-up sweep could not walk the files of tenant %s", tenant);
                continue;
            }
            abandoned += files.abandonedDeleted();
            skipped += files.skipped();
            for (AfterStartSweep part : ordered) {
                try {
                    if (!part.sweepTenant(tenant, files.keys())) {
                        break;
                    }
                } catch (Exception e) {
                    failures++;
                    LOG.errorf(e, "Start-up sweep: %s failed on tenant %s", name(part), tenant);
                }
            }
        }
        for (AfterStartSweep part : ordered) {
            if (stopping) {
                stopped = true;
                break;
            }
            try {
                part.sweepOutsideBlobs(started);
            } catch (Exception e) {
                failures++;
                LOG.errorf(e, "Start-up sweep: %s failed outside the blob store", name(part));
            }
        }
        if (abandoned > 0) {
            LOG.warnf("Deleted %d half-written blobs of writes that died", abandoned);
        }
        Result result = new Result(swept, abandoned, skipped, failures, stopped);
        LOG.infof(
                "Start-up sweep of the data directory %s in %d ms: %d tenants, %d files skipped, %d failures",
                stopped ? "stopped by the shutdown" : "done",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                swept,
                skipped,
                failures);
        return result;
    }

    private static String name(AfterStartSweep part) {
        return part.getClass().getSimpleName().replace("_ClientProxy", "");
    }
}
