package io.tenantml.rules.internal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.events.EventType;
import io.tenantml.events.TenantEvents;
import io.tenantml.monitoring.FeedbackDatasets;
import io.tenantml.monitoring.MonitoringWindow;
import io.tenantml.monitoring.PerformanceAssessment;
import io.tenantml.monitoring.RealisedPerformance;
import io.tenantml.monitoring.WindowListener;
import io.tenantml.rules.MonitoringRules;
import io.tenantml.rules.Rule;
import io.tenantml.rules.RuleAction;
import io.tenantml.rules.RuleKeys;
import io.tenantml.rules.RuleMachine;
import io.tenantml.rules.RuleSignal;
import io.tenantml.rules.RuleSignals;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TimeOrderedIds;
import io.tenantml.training.ModelSpec;
import io.tenantml.training.ModelSpecService;
import io.tenantml.training.TrainingService;
import io.tenantml.training.TrainingTrigger;
import io.tenantml.training.TrainingView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs every rule of the model on each window run. In the run's SUCCEEDED transaction (so that a rule's state,
 * its firings and its events commit with the window or not at all, and a run is evaluated once per rule: the
 * state remembers the last run): the state machine steps, {@code alert} publishes its monitoring.* event and,
 * when the episode ends, monitoring.recovered; {@code retrain} is only decided there (marked pending). After the
 * commit, each pending retrain is started in a transaction of its own through {@link TrainingService#start}
 * (the normal path: quotas, one training per model, the gate, the audit entry with the system actor
 * {@code rule}); a pending retrain the node did not get to start (it died, or the start failed unexpectedly) is
 * started within a minute by {@link PendingRetrains}, on any node, or after the next window run. A start refused (a training already running, no dataset version, a quota) is recorded as the rule's
 * note; its cooldown still counts from the decision. The performance signals read the window's performance,
 * assessed here (only when a rule reads it). Before the rules, the model's watch of an automatic promotion, if
 * any, judges the run ({@link RollbackWatches}).
 * A rule with {@code includeFeedback} first appends the
 * labelled production records to the model's dataset ({@link FeedbackDatasets}, in the claim's transaction, so
 * one node does it) and trains on the version that makes; the append commits on its own, so a start refused
 * after it leaves the version (and its records marked appended) for the next retrain.
 */
@ApplicationScoped
public class RuleEvaluator implements WindowListener {

    private static final Logger LOG = Logger.getLogger(RuleEvaluator.class);

    /** The audit system actor of a rule's retrain: its training's trigger, so the trail and the training agree. */
    private static final String ACTOR = TrainingTrigger.RULE.wireName();

    @Inject
    RuleStore store;

    @Inject
    MonitoringRules rules;

    @Inject
    TenantEvents events;

    @Inject
    TrainingService trainings;

    @Inject
    Clock clock;

    @Inject
    RollbackWatches watches;

    @Inject
    RealisedPerformance performance;

    @Inject
    FeedbackDatasets feedback;

    @Inject
    ModelSpecService specs;

    @Override
    public void judged(String model, UUID run, long recordsRead, Optional<MonitoringWindow> judged) {
        watches.judged(model, run, recordsRead);
        List<Rule> before = rules.rules(model);
        if (before.isEmpty()) {
            return;
        }
        // assessed before the states are locked (it reads the log), with the rules as they were; a PUT meanwhile
        // can only leave a performance rule without the figure this once (it says nothing)
        Optional<MonitoringWindow> latest = withPerformance(model, before, recordsRead, judged);
        Instant now = clock.instant();
        List<RuleStore.StateRow> states = store.states(model, true);
        // read after the lock: a PUT that held it has committed its rules with the states
        List<Rule> set = rules.rules(model);
        for (RuleStore.StateRow state : states) {
            if (state.position() >= set.size() || run.equals(state.lastRun())) {
                continue;
            }
            RuleStore.RuleRef ref = new RuleStore.RuleRef(state.key(), state.position());
            Rule rule = set.get(state.position());
            Optional<RuleSignals.Reading> reading = RuleSignals.read(rule, recordsRead, latest);
            RuleMachine.Step step = RuleMachine.step(
                    state.machine(),
                    reading.map(RuleSignals.Reading::present).orElse(null),
                    rule.consecutiveWindows(),
                    Duration.parse(rule.cooldown()),
                    now);
            boolean retrain = false;
            RuleAction action = RuleAction.ofWire(rule.action()).orElseThrow();
            switch (step.transition()) {
                case FIRED -> {
                    store.firing(id(), model, ref, run, "fired", now, null, null, describe(reading));
                    if (!step.act()) {
                        store.firing(
                                id(),
                                model,
                                ref,
                                run,
                                "suppressed",
                                now,
                                null,
                                null,
                                "within the cooldown of " + rule.cooldown() + " since "
                                        + state.machine().lastActionAt());
                    } else if (action == RuleAction.ALERT) {
                        UUID event = events.publish(eventType(rule), payload(model, ref, rule, run, reading, latest));
                        store.firing(id(), model, ref, run, "alert", now, event, null, null);
                    } else {
                        retrain = true;
                    }
                }
                case RECOVERED -> {
                    UUID event = null;
                    if (action == RuleAction.ALERT && step.actedThisEpisode()) {
                        Map<String, Object> data = payload(model, ref, rule, run, reading, latest);
                        data.put("firingSince", state.machine().firingSince().toString());
                        event = events.publish(EventType.MONITORING_RECOVERED, data);
                    }
                    store.firing(id(), model, ref, run, "recovered", now, event, null, null);
                }
                case NONE -> {}
            }
            store.update(model, state.key(), step.next(), run, retrain);
        }
    }

    @Override
    public void committed(String model, UUID run) {
        List<String> pending = QuarkusTransaction.requiringNew().call(() -> store.pendingRetrains(model));
        for (String key : pending) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    Optional<Integer> position = store.claimRetrain(model, key);
                    List<Rule> set = rules.rules(model);
                    if (position.isEmpty() || position.get() >= set.size()) {
                        return; // another node (or an earlier call) took it
                    }
                    RuleStore.RuleRef ref = new RuleStore.RuleRef(key, position.get());
                    Rule rule = set.get(position.get());
                    Integer datasetVersion = null;
                    String appended = null;
                    if (rule.appendsFeedback()) {
                        ModelSpec spec = specs.spec(model)
                                .orElseThrow(() -> ProblemException.notFound("no model '" + model + "'"));
                        FeedbackDatasets.Appended a = feedback.append(model, spec.dataset(), spec.target(), ACTOR);
                        datasetVersion = a.version().orElse(null);
                        appended = appendedNote(spec.dataset(), a);
                    }
                    TrainingView training = trainings.start(model, datasetVersion, TrainingTrigger.RULE);
                    store.retrainOutcome(model, key, training.id(), null);
                    store.firing(id(), model, ref, run, "retrain", clock.instant(), null, training.id(), appended);
                });
            } catch (ProblemException e) {
                String note = "retrain not started: " + e.getMessage();
                QuarkusTransaction.requiringNew().run(() -> {
                    store.retrainOutcome(model, key, null, note);
                    store.position(model, key)
                            .ifPresent(position -> store.firing(
                                    id(),
                                    model,
                                    new RuleStore.RuleRef(key, position),
                                    run,
                                    "retrain",
                                    clock.instant(),
                                    null,
                                    null,
                                    note));
                });
            } catch (RuntimeException e) {
                // left pending: PendingRetrains (or the next window run) tries again
                LOG.warnf(e, "retrain of rule %s of model %s not started", key, model);
            }
        }
    }

    /**
     * The run's window carries no performance (assessing it reads the window's log again and fits CBPE): it is
     * assessed here only when a rule reads it, and only for a run with new records (the others say nothing).
     */
    private Optional<MonitoringWindow> withPerformance(
            String model, List<Rule> set, long recordsRead, Optional<MonitoringWindow> judged) {
        boolean wanted = set.stream()
                .anyMatch(r -> RuleSignal.ofWire(r.signal())
                        .map(RuleSignal::performance)
                        .orElse(false));
        if (!wanted || recordsRead == 0 || judged.isEmpty() || judged.get().performance() != null) {
            return judged;
        }
        MonitoringWindow w = judged.get();
        if (!w.start().isBefore(w.end())) {
            return judged;
        }
        PerformanceAssessment assessed =
                RollbackWatches.outside(model, () -> performance.assess(model, w.version(), w.start(), w.end()));
        return assessed == null ? judged : Optional.of(w.withPerformance(assessed));
    }

    /** What a retrain's append did, for the rule's firing: the version made, or that there was nothing new. */
    private static String appendedNote(String dataset, FeedbackDatasets.Appended a) {
        String skipped = a.skipped().isEmpty() ? "" : "; left out " + a.skipped();
        return a.version()
                .map(v -> "appended " + a.records() + " labelled production records to dataset '" + dataset
                        + "' as version " + v + skipped)
                .orElse("no labelled production records to append since " + a.since() + skipped
                        + "; trained on the latest version");
    }

    private static UUID id() {
        return TimeOrderedIds.next();
    }

    private static EventType eventType(Rule rule) {
        return switch (RuleSignal.ofWire(rule.signal()).orElseThrow()) {
            case DATASET_DRIFT, FEATURE_DRIFT -> EventType.MONITORING_DRIFT;
            case SKEW -> EventType.MONITORING_SKEW;
            case VOLUME_ZERO -> EventType.MONITORING_VOLUME;
            case REALISED_PERFORMANCE, ESTIMATED_PERFORMANCE -> EventType.MONITORING_PERFORMANCE;
        };
    }

    private static String describe(Optional<RuleSignals.Reading> reading) {
        return reading.map(RuleSignals.Reading::value).map(v -> "value " + v).orElse(null);
    }

    /** Thin: names, ids and the measured value; no tenant data beyond the model's feature names. */
    private static Map<String, Object> payload(
            String model,
            RuleStore.RuleRef ref,
            Rule rule,
            UUID run,
            Optional<RuleSignals.Reading> reading,
            Optional<MonitoringWindow> latest) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("model", model);
        data.put("rule", ref.position());
        data.put("ruleKey", ref.key());
        RuleKeys.nameOf(ref.key()).ifPresent(name -> data.put("ruleName", name));
        data.put("signal", rule.signal());
        if (rule.threshold() != null) {
            data.put("threshold", rule.threshold());
        }
        if (rule.features() != null) {
            data.put("features", rule.features());
        }
        if (rule.kind() != null) {
            data.put("kind", rule.kind());
        }
        if (rule.metric() != null) {
            data.put("metric", rule.metric());
        }
        if (rule.floor() != null) {
            data.put("floor", rule.floor());
        }
        if (rule.margin() != null) {
            data.put("margin", rule.margin());
        }
        reading.map(RuleSignals.Reading::value).ifPresent(v -> data.put("value", v));
        latest.ifPresent(w -> {
            data.put("version", w.version());
            data.put("windowStart", w.start().toString());
        });
        data.put("run", run.toString());
        return data;
    }
}
