package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.MonitoringConfig;
import io.tenantml.monitoring.MonitoringMetrics;
import io.tenantml.monitoring.MonitoringWindow;
import io.tenantml.monitoring.MonitoringWindows;
import io.tenantml.monitoring.PredictionLogReader;
import io.tenantml.monitoring.ReferenceProfile;
import io.tenantml.monitoring.ReferenceProfiles;
import io.tenantml.monitoring.WindowGranularity;
import io.tenantml.monitoring.WindowListener;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.registry.ModelVersionView;
import io.tenantml.scheduling.RunContext;
import io.tenantml.scheduling.RunFailure;
import io.tenantml.scheduling.RunHandler;
import io.tenantml.scheduling.RunKind;
import io.tenantml.shared.ProblemException;
import io.tenantml.tenancy.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * A {@link RunKind#MONITORING_WINDOW} run: profiles the model's logged predictions from the end of its last
 * hour profiled whole (at most {@code lookback} back) up to the run's {@code until}, one profile per version
 * and UTC hour, in one pass over the log; writes every window whole with the run's end, and judges the
 * latest. Idempotent per run id: a profile is computed from the log alone and replaces the row of its hour,
 * so a redone attempt (or a later run over an hour closed early) writes the same counts, never twice.
 */
@ApplicationScoped
public class WindowRunHandler implements RunHandler {

    private static final Logger LOG = Logger.getLogger(WindowRunHandler.class);

    /** Records between two progress reports and cancellation checks. */
    private static final int CHECK_EVERY = 50_000;

    /** Parts of the range read and profiled side by side: one per core, at most 2 (the database needs one too). */
    static final int PARTS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    @Inject
    WindowStore store;

    @Inject
    PredictionLogReader reader;

    @Inject
    ModelRegistry registry;

    @Inject
    ReferenceProfiles references;

    @Inject
    MonitoringWindows windows;

    @Inject
    MonitoringMetrics metrics;

    @Inject
    MonitoringConfig config;

    @Inject
    Clock clock;

    @Inject
    Instance<WindowListener> listeners;

    @Inject
    TenantScope tenants;

    @Override
    public RunKind kind() {
        return RunKind.MONITORING_WINDOW;
    }

    private record Key(int version, Instant start) {}

    @Override
    public void run(RunContext run) {
        WindowStore.RunRow row = store.run(run.id())
                .orElseThrow(() -> new RunFailure("run-missing", "the monitoring run's record is gone"));
        String model = row.model();
        Instant until = row.until();
        Instant earliest =
                WindowGranularity.HOUR.floor(until.minus(config.window().lookback()));
        Instant from = store.latestClosedEnd(model)
                .filter(end -> end.isAfter(earliest))
                .orElse(earliest);
        // hourly windows are independent: the range is split at hour boundaries into parts read and profiled
        // side by side (each on its own connection), and no window is split between two parts
        List<Instant[]> ranges = from.isBefore(until) ? split(from, until, PARTS) : List.of();
        AtomicLong read = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            parts.add(new Part(model, ranges.get(i)[0], ranges.get(i)[1], i == 0 ? run : null, read, stop));
        }
        ExecutorService others = parts.size() > 1
                ? Executors.newFixedThreadPool(parts.size() - 1, r -> {
                    Thread t = new Thread(r, "monitoring-window-part");
                    t.setDaemon(true);
                    return t;
                })
                : null;
        long counted = 0;
        Map<Key, WindowProfiler> profiles = new HashMap<>();
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (Part part : parts.subList(Math.min(1, parts.size()), parts.size())) {
                futures.add(others.submit(() -> tenants.call(run.tenant(), part::read)));
            }
            try {
                counted += parts.isEmpty() ? 0 : parts.get(0).read();
            } catch (RuntimeException e) {
                stop.set(true);
                throw e;
            }
            for (Future<Long> f : futures) {
                counted += join(f);
            }
        } finally {
            stop.set(true);
            if (others != null) {
                others.shutdownNow();
            }
        }
        for (Part part : parts) {
            profiles.putAll(part.profiles);
        }
        long total = counted;
        Instant now = clock.instant();
        List<WindowStore.StoredWindow> stored = new ArrayList<>();
        profiles.forEach((key, p) -> {
            Instant end = WindowGranularity.HOUR.end(key.start());
            stored.add(new WindowStore.StoredWindow(
                    key.version(),
                    key.start(),
                    end.isAfter(until) ? until : end,
                    p.records(),
                    p.scored(),
                    p.represented(),
                    p.profile().toBytes()));
        });
        run.progress(0.9);
        // the latest window after this run: judged now (for the run's record and the gauges)
        Optional<WindowStore.StoredWindow> latestWritten = stored.stream()
                .max(Comparator.comparing(WindowStore.StoredWindow::start)
                        .thenComparingLong(WindowStore.StoredWindow::records)
                        .thenComparingInt(WindowStore.StoredWindow::version));
        Optional<WindowStore.StoredWindow> latest = latestWritten.isPresent() ? latestWritten : store.latest(model);
        Optional<MonitoringWindow> judged = latest.map(w -> windows.judge(model, w, WindowGranularity.HOUR));
        run.succeed(() -> {
            for (WindowStore.StoredWindow w : stored) {
                store.upsert(model, w, run.id(), now);
            }
            store.finishRun(
                    run.id(),
                    from,
                    stored.size(),
                    total,
                    judged.map(MonitoringWindow::version).orElse(null),
                    judged.map(MonitoringWindow::start).orElse(null),
                    judged.map(MonitoringWindow::status).orElse(null));
            for (WindowListener listener : listeners) {
                listener.judged(model, run.id(), total, judged);
            }
        });
        for (WindowListener listener : listeners) {
            listener.committed(model, run.id());
        }
        judged.ifPresent(w -> metrics.windowJudged(run.tenant().value(), model, w));
        // performance after the run has ended (its time is the profiling's): labels keep arriving, so the
        // gauges follow the latest window's figures as of this run; a failure here leaves the run succeeded
        judged.ifPresent(w -> {
            try {
                windows.assessPerformance(model, w)
                        .ifPresent(p -> metrics.performance(run.tenant().value(), model, p));
            } catch (RuntimeException e) {
                LOG.warnf(e, "performance gauges of %s/%s not updated after run %s", run.tenant(), model, run.id());
            }
        });
        // every hour before the last hour boundary at or before until has now been profiled whole
        metrics.profiledUpTo(run.tenant().value(), model, WindowGranularity.HOUR.floor(until));
        LOG.debugf(
                "monitoring run %s of %s/%s: %d records, %d windows from %s to %s",
                run.id(), run.tenant(), model, total, stored.size(), from, until);
    }

    private static long join(Future<Long> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("monitoring run interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * [from, until) in at most {@code parts} consecutive ranges that meet at hour boundaries, as even in hours
     * as those allow (one range when it lies within one hour).
     */
    static List<Instant[]> split(Instant from, Instant until, int parts) {
        List<Instant> cuts = new ArrayList<>();
        for (Instant h = WindowGranularity.HOUR.end(WindowGranularity.HOUR.floor(from));
                h.isBefore(until);
                h = WindowGranularity.HOUR.end(h)) {
            cuts.add(h);
        }
        int n = Math.max(1, Math.min(parts, cuts.size() + 1));
        List<Instant[]> ranges = new ArrayList<>(n);
        Instant start = from;
        for (int i = 1; i < n; i++) {
            Instant cut = cuts.get((int) ((long) i * (cuts.size() + 1) / n) - 1);
            ranges.add(new Instant[] {start, cut});
            start = cut;
        }
        ranges.add(new Instant[] {start, until});
        return ranges;
    }

    /** One range of the log, read and profiled by one thread. */
    private final class Part {
        final String model;
        final Instant from;
        final Instant until;
        /** The run, for the part that reports progress and checks for cancellation; else null. */
        final RunContext run;

        final AtomicLong read;
        final AtomicBoolean stop;
        final Map<Key, WindowProfiler> profiles = new HashMap<>();
        final Map<Integer, Optional<ModelVersionView>> versions = new HashMap<>();
        // the profiler of the last record's version and hour: the log comes mostly in time order, so most
        // records skip the key's allocation and the map lookup
        WindowProfiler current;
        int currentVersion;
        long currentStart;
        long currentEnd;
        long mine;

        Part(String model, Instant from, Instant until, RunContext run, AtomicLong read, AtomicBoolean stop) {
            this.model = model;
            this.from = from;
            this.until = until;
            this.run = run;
            this.read = read;
            this.stop = stop;
        }

        long read() {
            return reader.readModel(model, from, until, this::add);
        }

        private void add(int version, io.tenantml.monitoring.LogRecord record) {
            if (++mine % CHECK_EVERY == 0) {
                long all = read.addAndGet(CHECK_EVERY);
                if (stop.get()) {
                    throw new CancellationException("monitoring run stopped");
                }
                if (run != null) {
                    if (run.cancelled()) {
                        stop.set(true);
                        throw new CancellationException("monitoring run cancelled");
                    }
                    run.progress(0.5 * Math.min(1.0, all / 1_000_000.0));
                }
            }
            long at = record.predictedAt().toEpochMilli();
            if (current != null && version == currentVersion && at >= currentStart && at < currentEnd) {
                current.add(record);
                return;
            }
            Optional<ModelVersionView> v = versions.computeIfAbsent(version, n -> version(model, n));
            if (v.isEmpty()) {
                return; // a version deleted since: nothing to judge it against
            }
            Key key = new Key(version, WindowGranularity.HOUR.floor(record.predictedAt()));
            current = profiles.computeIfAbsent(key, k -> profiler(model, v.get()));
            currentVersion = version;
            currentStart = key.start().toEpochMilli();
            currentEnd = WindowGranularity.HOUR.end(key.start()).toEpochMilli();
            current.add(record);
        }
    }

    private Optional<ModelVersionView> version(String model, int version) {
        try {
            return Optional.of(registry.version(model, version));
        } catch (ProblemException e) {
            return Optional.empty();
        }
    }

    private WindowProfiler profiler(String model, ModelVersionView version) {
        Optional<ReferenceProfile> reference = references.find(model, version.version());
        List<String> outputs = reference
                .map(r -> r.validation().outputNames())
                .orElseGet(() ->
                        version.target().classes() != null && version.target().numClass() > 2
                                ? version.target().classes()
                                : List.of("score"));
        return new WindowProfiler(version.transform(), version.target(), outputs);
    }
}
