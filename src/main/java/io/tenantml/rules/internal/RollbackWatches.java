package io.tenantml.rules.internal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.events.EventType;
import io.tenantml.events.TenantEvents;
import io.tenantml.monitoring.PerformanceAssessment;
import io.tenantml.monitoring.RealisedPerformance;
import io.tenantml.registry.AliasMoved;
import io.tenantml.registry.ModelDeleted;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.rules.MonitoringRules;
import io.tenantml.rules.PromotionWatch;
import io.tenantml.rules.Rule;
import io.tenantml.rules.RuleKeys;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TimeOrderedIds;
import io.tenantml.training.ModelSpec;
import io.tenantml.training.ModelSpecService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Watches of automatic promotions. A watch starts in the transaction of the promotion (the registry's
 * {@link AliasMoved} of cause auto-promotion, for a training that a retrain rule with {@code watchWindows}
 * started), copying the rule's settings; it ends when production moves in any other way (a person's move or
 * deletion, another promotion), when it passes, or when it rolls back. Each window run with new records judges
 * the watched version ({@link PromotionWatch}) in the run's SUCCEEDED transaction, once per run id; a fall moves
 * production back through {@link ModelRegistry#rollBack} (a compare-and-set on the watched version, with the
 * reason on the move, {@code model.rolled_back} and the audit entry of system actor
 * {@link ModelRegistry#ROLLBACK_ACTOR}) and publishes {@code monitoring.performance}, all in that transaction.
 * Because any move by hand ends the watch, a rollback never undoes a version a person promoted.
 */
@ApplicationScoped
public class RollbackWatches {

    private static final Logger LOG = Logger.getLogger(RollbackWatches.class);

    /** How far before the promotion the previous version's own predictions are scored for the baseline. */
    static final Duration BASELINE_LOOKBACK = Duration.ofDays(7);

    @Inject
    WatchStore store;

    @Inject
    RuleStore rules;

    @Inject
    MonitoringRules monitoringRules;

    @Inject
    ModelSpecService specs;

    @Inject
    ModelRegistry registry;

    @Inject
    RealisedPerformance performance;

    @Inject
    TenantEvents events;

    @Inject
    Clock clock;

    void aliasMoved(@Observes AliasMoved moved) {
        if (!ModelRegistry.PRODUCTION.equals(moved.alias()) || moved.cause() == AliasMoved.Cause.AUTOMATIC_ROLLBACK) {
            return; // a watch's own rollback is recorded by the watch
        }
        Instant now = clock.instant();
        String model = moved.model();
        if (moved.cause() == AliasMoved.Cause.API) {
            store.endActive(
                    model,
                    "ended",
                    moved.to() == null
                            ? "production was deleted by hand"
                            : "production was moved by hand to version " + moved.to() + " (" + moved.reason() + ")",
                    now);
            return;
        }
        store.endActive(model, "ended", "superseded by the automatic promotion of version " + moved.to(), now);
        if (moved.from() == null || moved.to() == null || moved.training() == null) {
            return; // nothing to move back to
        }
        Optional<RuleStore.RuleRef> ref = rules.ruleOfTraining(model, moved.training());
        if (ref.isEmpty()) {
            return; // not a rule's training (an API call, a schedule), or its rule was removed since
        }
        List<Rule> set = monitoringRules.rules(model);
        if (ref.get().position() >= set.size()) {
            return;
        }
        Rule rule = set.get(ref.get().position());
        if (rule.watchWindows() == null) {
            return;
        }
        String metric = rule.metric();
        if (metric == null) {
            metric = specs.spec(model).map(ModelSpec::gate).map(g -> g.metric()).orElse(null);
        }
        if (metric == null) {
            return;
        }
        store.start(
                TimeOrderedIds.next(),
                model,
                moved.alias(),
                ref.get(),
                moved.training(),
                moved.to(),
                moved.from(),
                metric,
                rule.rollbackMargin(),
                rule.minSamples() == null ? MonitoringRules.DEFAULT_MIN_SAMPLES : rule.minSamples(),
                rule.watchWindows(),
                now);
    }

    void modelDeleted(@Observes ModelDeleted deleted) {
        store.deleteModel(deleted.model());
    }

    /** One window run of the model's watch, if it has one; in the run's SUCCEEDED transaction. */
    void judged(String model, UUID run, long recordsRead) {
        // read without a lock: the alias row is the lock (ModelRegistry.rollBack takes it first, and so does every
        // move before the watch row is ended), so a run and a person's move never wait on each other in reverse
        // order; the watch row is only updated while it is watching, and a rollback is a compare-and-set
        Optional<WatchStore.WatchRow> active = store.active(model, false);
        if (active.isEmpty() || run.equals(active.get().lastRun()) || recordsRead == 0) {
            return; // no watch, this run judged it already, or no new traffic to judge
        }
        WatchStore.WatchRow w = active.get();
        Instant now = clock.instant();
        Integer production = registry.aliases(model).get(w.alias());
        if (production == null || production != w.version()) {
            end(w, run, "ended", "production no longer names version " + w.version(), now);
            return;
        }
        PromotionWatch.Settings settings =
                new PromotionWatch.Settings(w.metric(), w.rollbackMargin(), w.minSamples(), w.windows());
        PromotionWatch.Figure baseline;
        if (w.baseline() != null) {
            baseline = new PromotionWatch.Figure(w.baseline(), PromotionWatch.Source.fromWire(w.baselineSource()), 0);
        } else {
            Map<String, Double> validation;
            try {
                validation = registry.version(model, w.previousVersion()).metrics();
            } catch (ProblemException e) {
                end(w, run, "ended", "version " + w.previousVersion() + " is gone", now);
                return;
            }
            Optional<PromotionWatch.Figure> found = PromotionWatch.baseline(
                    assess(model, w.previousVersion(), w.startedAt().minus(BASELINE_LOOKBACK), w.startedAt()),
                    validation,
                    w.metric(),
                    w.minSamples());
            if (found.isEmpty()) {
                end(w, run, "ended", "version " + w.previousVersion() + " has no " + w.metric() + " to compare", now);
                return;
            }
            baseline = found.get();
        }
        PromotionWatch.Judgement judgement = PromotionWatch.judge(
                settings,
                baseline,
                PromotionWatch.watched(assess(model, w.version(), w.startedAt(), now), w.metric(), w.minSamples()),
                w.counted());
        String baselineSource = baseline.source().wireName();
        Optional<PromotionWatch.Figure> figure = judgement.watched();
        switch (judgement.verdict()) {
            case CANNOT_JUDGE ->
                judged(
                        w,
                        run,
                        false,
                        baseline,
                        Optional.empty(),
                        "watching",
                        null,
                        null,
                        "fewer than " + w.minSamples() + " labels or scored predictions of " + w.metric()
                                + " since the promotion: this run does not count");
            case HELD -> judged(w, run, true, baseline, figure, "watching", null, null, null);
            case PASSED ->
                judged(w, run, true, baseline, figure, "passed", now, null, "held for " + w.windows() + " window runs");
            case FELL -> {
                PromotionWatch.Figure fell = figure.orElseThrow();
                String reason = String.format(
                        Locale.ROOT,
                        "automatic rollback: version %d's %s %s %.4f on %d %s since its promotion is worse than"
                                + " version %d's %s %s %.4f by more than %.4f",
                        w.version(),
                        fell.source().wireName(),
                        w.metric(),
                        fell.value(),
                        fell.samples(),
                        fell.source() == PromotionWatch.Source.REALISED ? "labels" : "predictions",
                        w.previousVersion(),
                        baselineSource,
                        w.metric(),
                        baseline.value(),
                        w.rollbackMargin());
                boolean moved = registry.rollBack(model, w.alias(), w.version(), w.previousVersion(), reason);
                UUID event = null;
                if (moved) {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("model", model);
                    data.put("alias", w.alias());
                    data.put("signal", "promotionWatch");
                    data.put("version", w.version());
                    data.put("previousVersion", w.previousVersion());
                    data.put("metric", w.metric());
                    data.put("value", fell.value());
                    data.put("source", fell.source().wireName());
                    data.put("samples", fell.samples());
                    data.put("baseline", baseline.value());
                    data.put("baselineSource", baselineSource);
                    data.put("rollbackMargin", w.rollbackMargin());
                    data.put("rule", rules.position(model, w.ruleKey()).orElse(w.position()));
                    data.put("ruleKey", w.ruleKey());
                    RuleKeys.nameOf(w.ruleKey()).ifPresent(name -> data.put("ruleName", name));
                    data.put("rolledBack", true);
                    data.put("run", run.toString());
                    event = events.publish(EventType.MONITORING_PERFORMANCE, data);
                }
                judged(
                        w,
                        run,
                        true,
                        baseline,
                        figure,
                        moved ? "rolled-back" : "ended",
                        now,
                        event,
                        moved
                                ? reason
                                : reason + "; not rolled back: production no longer names version " + w.version()
                                        + " or version " + w.previousVersion() + " may not take it");
            }
        }
    }

    /** A run's judgement of the watch: its baseline, the watched figure (none: the last one stays), the outcome. */
    private void judged(
            WatchStore.WatchRow w,
            UUID run,
            boolean counts,
            PromotionWatch.Figure baseline,
            Optional<PromotionWatch.Figure> watched,
            String status,
            Instant endedAt,
            UUID event,
            String note) {
        store.judged(
                w.id(),
                run,
                counts ? 1 : 0,
                baseline.value(),
                baseline.source().wireName(),
                watched.map(PromotionWatch.Figure::value).orElse(null),
                watched.map(f -> f.source().wireName()).orElse(null),
                watched.map(PromotionWatch.Figure::samples).orElse(null),
                status,
                endedAt,
                event,
                note);
    }

    private void end(WatchStore.WatchRow w, UUID run, String status, String note, Instant now) {
        store.judged(w.id(), run, 0, w.baseline(), w.baselineSource(), null, null, null, status, now, null, note);
    }

    /** A version's performance on its predictions in [from, to); null when it cannot be assessed. */
    private PerformanceAssessment assess(String model, int version, Instant from, Instant to) {
        return from.isBefore(to) ? outside(model, () -> performance.assess(model, version, from, to)) : null;
    }

    /**
     * Runs an assessment outside the window run's transaction: it reads the log on a connection of its own that
     * commits its streaming read, which a connection enlisted in the run's transaction may not; it writes nothing.
     * Null when the version cannot be assessed.
     */
    static PerformanceAssessment outside(String model, Supplier<PerformanceAssessment> assessment) {
        return QuarkusTransaction.suspendingExisting().call(() -> {
            try {
                return assessment.get();
            } catch (ProblemException e) {
                // the version or its reference is gone: nothing to judge, and no reason to fail the window run
                LOG.debugf("performance of %s not assessed: %s", model, e.getMessage());
                return null;
            }
        });
    }
}
