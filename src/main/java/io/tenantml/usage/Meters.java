package io.tenantml.usage;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tenantml.shared.TenantId;
import io.tenantml.usage.internal.MinuteTotals;
import io.tenantml.usage.internal.UsageStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one metering API: every billable fact goes through here.
 *
 * <ul>
 *   <li>{@link #record}: an exact fact with an idempotency id (an ingested dataset version, a training attempt,
 *       a finished batch, a day's storage sample, a webhook delivery). Stored at most once per tenant and id;
 *       inside a transaction it commits or rolls back with the caller's work.
 *   <li>{@link #add}: a high-rate fact (records scored online, recommend queries, embedding calls), counted in
 *       memory per (tenant, meter, dimensions, minute) and written every {@code tenantml.usage.flush-interval}
 *       as idempotent upserts. A SIGKILL loses at most the facts since the last completed flush; nothing is
 *       ever counted twice.
 * </ul>
 *
 * Dimensions {@code model} and {@code version} are what reports group by; others (dataset, recommender) are kept
 * beside them.
 */
@ApplicationScoped
public class Meters {

    private static final Logger LOG = Logger.getLogger(Meters.class);

    @Inject
    UsageStore store;

    @Inject
    UsageConfig config;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    /**
     * Usage dropped because it could not be written in time (tags {@code tenant}, {@code meter}; in the meter's
     * unit), so that an operator can alert on lost billing instead of finding it in the logs.
     */
    public static final String LOST = "tenantml.usage.lost";

    private final MinuteTotals totals = new MinuteTotals();
    private final Object flushing = new Object();
    private ScheduledExecutorService flusher;

    void start(@Observes StartupEvent event) {
        long millis = Math.max(10, config.flushInterval().toMillis());
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tenantml-usage-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (flusher != null) {
            flusher.shutdown();
        }
        flushQuietly();
    }

    /**
     * Records one attempt of a job's compute: its wall seconds under {@code wall}, and wall seconds times the threads
     * it ran on under {@code cpu} (what a node's cores were held for), each once per {@code attemptKey}.
     */
    public void recordCompute(
            TenantId tenant,
            Meter wall,
            Meter cpu,
            Map<String, String> dimensions,
            double wallSeconds,
            int threads,
            String attemptKey) {
        record(tenant, wall, dimensions, wallSeconds, attemptKey + ":wall");
        record(tenant, cpu, dimensions, wallSeconds * threads, attemptKey + ":cpu");
    }

    /**
     * Records an exact billable fact once: a second call with the same tenant and idempotency id changes nothing.
     *
     * @return true when this call recorded it, false when it had been recorded before
     */
    public boolean record(
            TenantId tenant, Meter meter, Map<String, String> dimensions, double quantity, String idempotencyId) {
        Objects.requireNonNull(idempotencyId, "idempotencyId");
        if (quantity < 0 || Double.isNaN(quantity)) {
            throw new IllegalArgumentException("quantity must be >= 0, was " + quantity);
        }
        return store.insert(tenant, idempotencyId, meter, dimensions, quantity, clock.instant());
    }

    /** Counts a high-rate fact in memory; never blocks on the database. */
    public void add(TenantId tenant, Meter meter, Map<String, String> dimensions, long quantity) {
        if (quantity <= 0) {
            return;
        }
        long minute = Math.floorDiv(clock.millis(), 60_000L);
        totals.add(new MinuteTotals.Key(tenant, meter, new TreeMap<>(dimensions), minute), quantity);
    }

    /** Writes every in-memory total now (tests, shutdown); returns how many buckets were written. */
    public int flush() {
        synchronized (flushing) {
            long minute = Math.floorDiv(clock.millis(), 60_000L);
            long oldestWritable = minute - config.minuteRetention().toMinutes() / 2;
            for (MinuteTotals.Snapshot lost : totals.dropUnwrittenBefore(oldestWritable)) {
                LOG.errorf(
                        "usage lost: %d %s of tenant %s in minute %s not written within half the minute retention"
                                + " (%s); dropped, since its hour may already be summed",
                        lost.total(),
                        lost.key().meter().wireName(),
                        lost.key().tenant(),
                        Instant.ofEpochSecond(lost.key().minute() * 60),
                        config.minuteRetention());
                registry.counter(
                                LOST,
                                "tenant",
                                lost.key().tenant().value(),
                                "meter",
                                lost.key().meter().wireName())
                        .increment(lost.total());
            }
            List<MinuteTotals.Snapshot> dirty = totals.dirty();
            if (dirty.isEmpty()) {
                totals.written(dirty, minute);
                return 0;
            }
            try {
                store.upsert(dirty);
                totals.written(dirty, minute);
            } catch (SQLException | RuntimeException e) {
                // One bad bucket (its tenant was offboarded meanwhile) must not hold back the others.
                for (MinuteTotals.Snapshot s : dirty) {
                    try {
                        store.upsert(List.of(s));
                        totals.written(List.of(s), minute);
                    } catch (SQLException single) {
                        if ("23503".equals(single.getSQLState())) {
                            LOG.debugf(
                                    "usage of removed tenant %s dropped",
                                    s.key().tenant());
                            totals.written(List.of(s), minute);
                        } else {
                            LOG.warnf(
                                    single,
                                    "usage bucket %s not written; retried at the next flush",
                                    s.idempotencyId());
                        }
                    }
                }
            }
            return dirty.size();
        }
    }

    /** Quantities counted in memory and not yet durable (what a crash now would lose). */
    public long pending() {
        return totals.pending();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf(e, "usage flush failed; retried at the next interval");
        }
    }
}
