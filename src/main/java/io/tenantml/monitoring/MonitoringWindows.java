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
import java.util.function.Function;

/**
 * The current tenant's monitoring windows: window runs on the ledger (requested now, or by the model's
 * schedule), the latest window judged, and the history by hour, day or week. Days and weeks are merged from
 * the stored hourly profiles, never re-read from the log. Windows are judged when read, against the
 * version's reference profile, with the model's {@link DriftRule} (its {@link MonitoringSettings}, read at each
 * judgement, so a change of threshold applies to every window read after it, old ones included).
 */
@ApplicationScoped
public class MonitoringWindows {

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
        store.insertRun(id, model, MonitoringRunTrigger.MANUAL, now, now);
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
        store.insertRun(id, model, MonitoringRunTrigger.SCHEDULE, WindowGranularity.HOUR.floor(now), now);
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
        return view(row, ledgered.orElse(null));
    }

    private static final String RUNS = "monitoring-runs";

    /**
     * The model's window runs, newest first (keyset on their time-ordered ids), manual and scheduled.
     *
     * @throws ProblemException 404 when the model has no version to monitor
     */
    public Page<MonitoringRunView> runs(String model, PageRequest page) {
        // the cursor is checked before the model: a bad one is the caller's 400 whatever it names
        List<String> after = page.after(RUNS, 1);
        requireModel(model);
        List<UUID> ids = store.runIds(
                model, after == null ? null : PageRequest.value(after.get(0), UUID::fromString), page.fetchSize());
        // the ledger before the records, as in run(model, id)
        Map<UUID, Run> ledgered = ledger.find(ids);
        Map<UUID, WindowStore.RunRow> rows = new HashMap<>();
        for (WindowStore.RunRow row : store.runs(ids)) {
            rows.put(row.id(), row);
        }
        List<MonitoringRunView> views = ids.stream()
                .filter(rows::containsKey)
                .map(id -> view(rows.get(id), ledgered.get(id)))
                .toList();
        return page.page(views, RUNS, v -> List.of(v.id().toString()));
    }

    private static MonitoringRunView view(WindowStore.RunRow row, Run run) {
        if (run == null) {
            throw new IllegalStateException("monitoring run " + row.id() + " has no run in the ledger");
        }
        return new MonitoringRunView(
                row.id(),
                row.model(),
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
     * The model's windows that start in [{@code from}, {@code to}) at {@code granularity}, of one version or all,
     * newest first (per window, highest version first), one page at a time.
     *
     * @param from ISO-8601 instant; default: the beginning
     * @param to ISO-8601 instant; default: now
     * @param granularity {@code hour} (default), {@code day} or {@code week}
     * @param version a version number of the model; default: every version
     * @throws ProblemException 400 naming the parameter that is wrong; 404 for an unknown model
     */
    public Page<MonitoringWindow> windows(
            String model, String from, String to, String granularity, String version, PageRequest page) {
        Range range = range(from, to, granularity, version);
        String list = "monitoring-windows-" + range.granularity().wireName();
        Position after = position(page, list);
        requireModel(model);
        requireVersion(model, range.version());
        return page.page(
                judged(model, range, after, page.fetchSize(), true, Function.identity()),
                list,
                MonitoringWindows::sortKey);
    }

    /**
     * What a windows or series request asks for, checked.
     *
     * @param version null for every version
     */
    record Range(WindowGranularity granularity, Instant from, Instant to, Integer version) {}

    /** Where a page starts: after this window start and version; null for the first page. */
    record Position(Instant bucket, int version) {}

    /** @throws ProblemException 400 naming the parameter that is wrong */
    Range range(String from, String to, String granularity, String version) {
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
        return new Range(g, start, end, version == null || version.isBlank() ? null : versionNumber(version));
    }

    /** The cursor's position in {@code list}; null for the first page. */
    static Position position(PageRequest page, String list) {
        List<String> after = page.after(list, 2);
        return after == null
                ? null
                : new Position(
                        PageRequest.value(after.get(0), MonitoringWindows::cursorInstant),
                        PageRequest.value(after.get(1), Integer::parseInt));
    }

    /** A page's sort key: the window's start and version (unique, since windows are per version). */
    static List<String> sortKey(Instant start, int version) {
        return List.of(Long.toString(start.toEpochMilli()), Integer.toString(version));
    }

    private static List<String> sortKey(MonitoringWindow w) {
        return sortKey(w.start(), w.version());
    }

    /** @throws ProblemException 404 for an unknown model */
    void requireModel(String model) {
        if (!registry.hasVersions(model)) {
            throw ProblemException.notFound("model '" + model + "' has no version to monitor");
        }
    }

    /** @throws ProblemException 400 naming {@code version} when the model has no such version */
    void requireVersion(String model, Integer version) {
        if (version != null && !registry.hasVersion(model, version)) {
            throw badParameter("version", "model '" + model + "' has no version " + version);
        }
    }

    /**
     * Up to {@code fetch} windows of the range after {@code after}, judged, in the windows list's order, each
     * handed to {@code view} as soon as it is judged (so a series keeps only its small points). Without
     * {@code withPerformance} no window reads its feedback or scores (the costly part of a page, see
     * {@link RealisedPerformance}): everything else is judged exactly as the windows list judges it.
     */
    <T> List<T> judged(
            String model,
            Range range,
            Position after,
            int fetch,
            boolean withPerformance,
            Function<MonitoringWindow, T> view) {
        WindowGranularity g = range.granularity();
        DriftRule rule = settings.rule(model);
        List<T> fetched = new ArrayList<>();
        Map<Integer, Optional<ReferenceProfile>> refs = new HashMap<>();
        Group[] current = {null};
        store.stream(
                model,
                range.from(),
                range.to(),
                g,
                range.version(),
                after == null ? null : after.bucket(),
                after == null ? null : after.version(),
                w -> {
                    Instant bucket = g.floor(w.start());
                    Group group = current[0];
                    if (group != null && (!group.bucket.equals(bucket) || group.version != w.version())) {
                        fetched.add(view.apply(group.judge(model, g, refs, rule, withPerformance)));
                        current[0] = null;
                        if (fetched.size() >= fetch) {
                            return false;
                        }
                    }
                    if (current[0] == null) {
                        current[0] = new Group(bucket, w.version());
                    }
                    current[0].add(w);
                    return true;
                });
        if (current[0] != null && fetched.size() < fetch) {
            fetched.add(view.apply(current[0].judge(model, g, refs, rule, withPerformance)));
        }
        return fetched;
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
                String model,
                WindowGranularity g,
                Map<Integer, Optional<ReferenceProfile>> refs,
                DriftRule rule,
                boolean withPerformance) {
            Optional<ReferenceProfile> reference = refs.computeIfAbsent(version, v -> references.find(model, v));
            return WindowEvaluator.evaluate(
                    new WindowEvaluator.Facts(model, version, g, bucket, end, records, scored, represented),
                    profile,
                    reference,
                    rule,
                    withPerformance ? performance(model, version, bucket, end, reference) : null);
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
        return TimeParameters.instantOrDate("invalid-parameter", parameter, value);
    }

    /** A version number as a filter: a whole number from 1 (400 naming {@code version} otherwise). */
    private static int versionNumber(String value) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the problem below says what a version is
        }
        throw badParameter("version", "version must be a whole number from 1; was '" + value + "'");
    }

    static ProblemException badParameter(String parameter, String detail) {
        return ProblemException.badParameter("invalid-parameter", parameter, detail);
    }
}
