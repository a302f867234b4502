package io.tenantml.monitoring;

import io.tenantml.monitoring.internal.WindowEvaluator;
import io.tenantml.monitoring.internal.WindowStore;
import io.tenantml.registry.ModelDeleted;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.scheduling.Run;
import io.tenantml.scheduling.RunKind;
import io.tenantml.scheduling.RunLedger;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TimeOrderedIds;
import io.tenantml.shared.TimeParameters;
import io.tenantml.statistics.TableSketch;
import io.tenantml.usage.Quotas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The current tenant's monitoring windows: window runs on the ledger (requested now, or by the model's
 * schedule), the latest window judged, and the history by hour, day or week. Days and weeks are merged from
 * the stored hourly profiles, never re-read from the log. Windows are judged when read, against the
 * version's reference profile, with the model's {@link DriftRule} (its {@link MonitoringSettings}, read at each
 * judgement, so a change of threshold applies to every window read after it, old ones included).
 */
@ApplicationScoped
public class MonitoringWindows {

    public static final String MANUAL = "manual";
    public static final String SCHEDULE = "schedule";

    @Inject
    WindowStore store;

    @Inject
    RunLedger ledger;

    @Inject
    ModelRegistry registry;

    @Inject
    ReferenceProfiles references;

    @Inject
    RealisedPerformance performance;

    @Inject
    MonitoringSettings settings;

    @Inject
    Clock clock;

    @Inject
    Quotas quotas;

    /**
     * Queues a run that profiles the model's log up to now, closing the open hour early (a later run profiles
     * that hour again, whole, and replaces it).
     *
     * @throws ProblemException 404 when the model has no version, 409 when the plan's {@code concurrentJobs} are
     *     all taken by the tenant's other jobs (a window run itself never takes one)
     */
    @Transactional
    public MonitoringRunView requestRun(String model) {
        requireModel(model);
        quotas.requireJobSlot(RunKind.MONITORING_WINDOW);
        UUID id = TimeOrderedIds.next();
        Instant now = clock.instant();
        store.insertRun(id, model, MANUAL, now, now);
        ledger.enqueue(RunKind.MONITORING_WINDOW, model, id, false);
        return run(model, id);
    }

    /**
     * Queues the scheduled run of the model (the closed hours), unless one is queued or running already or
     * the model has nothing to monitor. It neither counts toward the tenant's {@code concurrentJobs} nor is
     * refused by them: it is the platform's own hourly check of the model (at most one per model), and refusing
     * it would leave the model unmonitored without anyone having asked for that.
     */
    @Transactional
    public Optional<UUID> scheduled(String model) {
        if (!registry.hasVersions(model)
                || ledger.active(RunKind.MONITORING_WINDOW, model).isPresent()) {
            return Optional.empty();
        }
        UUID id = TimeOrderedIds.next();
        Instant now = clock.instant();
        store.insertRun(id, model, SCHEDULE, WindowGranularity.HOUR.floor(now), now);
        ledger.enqueue(RunKind.MONITORING_WINDOW, model, id, true);
        return Optional.of(id);
    }

    /**
     * A deleted model's windows and runs go with it, in the deleting transaction: a model created again under
     * the same name starts without them.
     */
    void modelDeleted(@Observes ModelDeleted deleted) {
        store.deleteModel(deleted.model());
    }

    /** @throws ProblemException 404 when the model has no such run */
    public MonitoringRunView run(String model, UUID id) {
        // the ledger first: a run's end commits its state and its record together, so a record read after a
        // finished state is complete, while the other order can pair a finished state with an unfinished record
        Optional<Run> ledgered = ledger.find(id);
        WindowStore.RunRow row = store.run(id)
                .filter(r -> r.model().equals(model))
                .orElseThrow(() -> ProblemException.notFound("model '" + model + "' has no monitoring run " + id));
        Run run = ledgered.orElseThrow(
                () -> new IllegalStateException("monitoring run " + id + " has no run in the ledger"));
        return new MonitoringRunView(
                id,
                model,
                row.trigger(),
                run.state(),
                run.progress(),
                row.until(),
                row.from(),
                row.windows(),
                row.records(),
                row.latestVersion(),
                row.latestWindowStart(),
                row.latestStatus(),
                run.createdAt(),
                run.startedAt(),
                run.finishedAt(),
                run.errorCode(),
                run.errorMessage());
    }

    /** @throws ProblemException 404 when the model is unknown or has no window yet */
    public MonitoringWindow latest(String model) {
        requireModel(model);
        WindowStore.StoredWindow w = store.latest(model)
                .orElseThrow(() -> new ProblemException(Problem.of(
                        404,
                        "no-monitoring-window",
                        "Not found",
                        "model '" + model + "' has no monitoring window yet: its windows are profiled hourly, or "
                                + "POST .../monitoring/run profiles them now")));
        Optional<ReferenceProfile> reference = references.find(model, w.version());
        return WindowEvaluator.evaluate(
                facts(model, w, WindowGranularity.HOUR),
                TableSketch.fromBytes(w.profile()),
                reference,
                settings.rule(model),
                performance(model, w.version(), w.start(), w.end(), reference));
    }

    /**
     * The judged window's performance (realised from feedback, estimated by CBPE) over the predictions it
     * profiled, for the performance gauges; empty for a window with nothing profiled.
     */
    public Optional<PerformanceAssessment> assessPerformance(String model, MonitoringWindow window) {
        return Optional.ofNullable(performance(
                model, window.version(), window.start(), window.end(), references.find(model, window.version())));
    }

    /**
     * The version's performance on the predictions the window profiled, [start, end): realised from the
     * labels that answer them so far (labels arriving later change it), CBPE's estimate, the validation figures.
     */
    private PerformanceAssessment performance(
            String model, int version, Instant start, Instant end, Optional<ReferenceProfile> reference) {
        return start.isBefore(end) ? performance.assess(model, version, start, end, reference) : null;
    }

    /**
     * The model's windows that start in [{@code from}, {@code to}) at {@code granularity}, newest first
     * (per window, highest version first), one page at a time.
     *
     * @param from ISO-8601 instant; default: the beginning
     * @param to ISO-8601 instant; default: now
     * @param granularity {@code hour} (default), {@code day} or {@code week}
     * @throws ProblemException 400 naming the parameter that is wrong; 404 for an unknown model
     */
    public Page<MonitoringWindow> windows(String model, String from, String to, String granularity, PageRequest page) {
        WindowGranularity g = granularity == null || granularity.isBlank()
                ? WindowGranularity.HOUR
                : WindowGranularity.fromWire(granularity)
                        .orElseThrow(() -> badParameter(
                                "granularity",
                                "granularity must be one of hour, day, week; was '" + granularity + "'"));
        Instant start = from == null || from.isBlank() ? Instant.EPOCH : instant("from", from);
        Instant end = to == null || to.isBlank() ? clock.instant() : instant("to", to);
        if (!start.isBefore(end)) {
            throw badParameter("from", "from (" + start + ") must be before to (" + end + ")");
        }
        String list = "monitoring-windows-" + g.wireName();
        List<String> after = page.after(list, 2);
        Instant afterBucket = after == null ? null : PageRequest.value(after.get(0), MonitoringWindows::cursorInstant);
        Integer afterVersion = after == null ? null : PageRequest.value(after.get(1), Integer::parseInt);
        requireModel(model);
        DriftRule rule = settings.rule(model);

        List<MonitoringWindow> fetched = new ArrayList<>();
        Map<Integer, Optional<ReferenceProfile>> refs = new HashMap<>();
        Group[] current = {null};
        store.stream(model, start, end, g, afterBucket, afterVersion, w -> {
            Instant bucket = g.floor(w.start());
            Group group = current[0];
            if (group != null && (!group.bucket.equals(bucket) || group.version != w.version())) {
                fetched.add(group.judge(model, g, refs, rule));
                current[0] = null;
                if (fetched.size() >= page.fetchSize()) {
                    return false;
                }
            }
            if (current[0] == null) {
                current[0] = new Group(bucket, w.version());
            }
            current[0].add(w);
            return true;
        });
        if (current[0] != null && fetched.size() < page.fetchSize()) {
            fetched.add(current[0].judge(model, g, refs, rule));
        }
        return page.page(
                fetched, list, w -> List.of(Long.toString(w.start().toEpochMilli()), Integer.toString(w.version())));
    }

    /** Judges one stored window (for the run's record and gauges, and the latest view). */
    public MonitoringWindow judge(String model, WindowStore.StoredWindow w, WindowGranularity g) {
        return WindowEvaluator.evaluate(
                facts(model, w, g),
                TableSketch.fromBytes(w.profile()),
                references.find(model, w.version()),
                settings.rule(model));
    }

    private static WindowEvaluator.Facts facts(String model, WindowStore.StoredWindow w, WindowGranularity g) {
        return new WindowEvaluator.Facts(
                model, w.version(), g, w.start(), w.end(), w.records(), w.scored(), w.represented());
    }

    /** The hourly windows of one version in one day or week, merged. */
    private final class Group {
        final Instant bucket;
        final int version;
        TableSketch profile;
        Instant end;
        long records;
        long scored;
        long represented;

        Group(Instant bucket, int version) {
            this.bucket = bucket;
            this.version = version;
        }

        void add(WindowStore.StoredWindow w) {
            TableSketch p = TableSketch.fromBytes(w.profile());
            if (profile == null) {
                profile = p;
            } else {
                profile.merge(p);
            }
            end = end == null || w.end().isAfter(end) ? w.end() : end;
            records += w.records();
            scored += w.scored();
            represented += w.represented();
        }

        MonitoringWindow judge(
                String model, WindowGranularity g, Map<Integer, Optional<ReferenceProfile>> refs, DriftRule rule) {
            Optional<ReferenceProfile> reference = refs.computeIfAbsent(version, v -> references.find(model, v));
            return WindowEvaluator.evaluate(
                    new WindowEvaluator.Facts(model, version, g, bucket, end, records, scored, represented),
                    profile,
                    reference,
                    rule,
                    performance(model, version, bucket, end, reference));
        }
    }

    private void requireModel(String model) {
        if (!registry.hasVersions(model)) {
            throw ProblemException.notFound("model '" + model + "' has no version to monitor");
        }
    }

    /** A cursor's window start in epoch milliseconds; one outside the supported years is no cursor of ours. */
    private static Instant cursorInstant(String millis) {
        Instant at = Instant.ofEpochMilli(Long.parseLong(millis));
        if (!TimeParameters.isSupported(at)) {
            throw new IllegalArgumentException("cursor instant out of range: " + millis);
        }
        return at;
    }

    private static Instant instant(String parameter, String value) {
        return TimeParameters.instant(value)
                .orElseThrow(() -> badParameter(
                        parameter, parameter + " must be " + TimeParameters.INSTANT + "; was '" + value + "'"));
    }

    private static ProblemException badParameter(String parameter, String detail) {
        return new ProblemException(
                Problem.of(400, "invalid-parameter", "Bad request", detail).with("parameter", parameter));
    }
}
