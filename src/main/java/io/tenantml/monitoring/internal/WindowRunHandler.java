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
        Map<Key, WindowProfiler> profiles = new HashMap<>();
        Map<Integer, Optional<ModelVersionView>> versions = new HashMap<>();
        long[] read = {0};
        long total = from.isBefore(until)
                ? reader.readModel(model, from, until, (version, record) -> {
                    if (++read[0] % CHECK_EVERY == 0) {
                        if (run.cancelled()) {
                            throw new CancellationException("monitoring run cancelled");
                        }
                        run.progress(0.5 * Math.min(1.0, read[0] / 1_000_000.0));
                    }
                    Optional<ModelVersionView> v = versions.computeIfAbsent(version, n -> version(model, n));
                    if (v.isEmpty()) {
                        return; // a version deleted since: nothing to judge it against
                    }
                    Key key = new Key(version, WindowGranularity.HOUR.floor(record.predictedAt()));
                    profiles.computeIfAbsent(key, k -> profiler(model, v.get())).add(record);
                })
                : 0;
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
        // every hour before the last hour boundary at or before until has now been profiled whole
        metrics.profiledUpTo(run.tenant().value(), model, WindowGranularity.HOUR.floor(until));
        LOG.debugf(
                "monitoring run %s of %s/%s: %d records, %d windows from %s to %s",
                run.id(), run.tenant(), model, total, stored.size(), from, until);
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
