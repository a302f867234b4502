package io.tenantml.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.monitoring.MonitoringWindow;
import io.tenantml.registry.ModelDeleted;
import io.tenantml.rules.internal.RuleStore;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.training.ModelSpecService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The current tenant's monitoring rules per model: validated and stored whole ({@link #put}), read with each
 * rule's state ({@link #get}). Evaluated after every window run by {@code internal.RuleEvaluator}.
 */
@ApplicationScoped
public class MonitoringRules {

    /** Rules per model at most. */
    public static final int MAX_RULES = 50;

    static final String DEFAULT_COOLDOWN = "PT24H";
    static final double DEFAULT_DATASET_SHARE = 0.5;

    /** Skew kinds by wire name, with the rate a window states for each column. */
    public static final Map<String, ToDoubleFunction<MonitoringWindow.FeatureSkew>> SKEW_KINDS = Map.of(
            "missing", MonitoringWindow.FeatureSkew::missingRate,
            "unseen-category", MonitoringWindow.FeatureSkew::unseenCategoryRate,
            "out-of-range", MonitoringWindow.FeatureSkew::outOfRangeRate,
            "refused", MonitoringWindow.FeatureSkew::refusedRate);

    private static final TypeReference<List<Rule>> RULES = new TypeReference<>() {};

    @Inject
    RuleStore store;

    @Inject
    ModelSpecService specs;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /**
     * Replaces the model's rules (an empty list removes them); every rule's state starts clear.
     *
     * @throws ProblemException 400 naming the field ({@code rules[i].threshold}) of the first invalid rule; 404
     *     for an unknown model
     */
    @Transactional
    public RulesView put(String model, RulesRequest request) {
        requireModel(model);
        List<Rule> rules = validate(request);
        store.replace(model, write(rules), rules.size(), clock.instant());
        return get(model);
    }

    /** @throws ProblemException 404 for an unknown model */
    @Transactional
    public RulesView get(String model) {
        requireModel(model);
        Optional<RuleStore.RuleSet> set = store.rules(model);
        if (set.isEmpty()) {
            return new RulesView(model, null, List.of(), store.recentFirings(model, 20));
        }
        List<Rule> rules = read(set.get().json());
        List<RuleStore.StateRow> states = store.states(model, false);
        List<RulesView.RuleView> views = new ArrayList<>();
        for (RuleStore.StateRow s : states) {
            if (s.position() >= rules.size()) {
                continue;
            }
            views.add(new RulesView.RuleView(
                    s.position(),
                    rules.get(s.position()),
                    new RulesView.RuleStateView(
                            s.machine().firing() ? "firing" : "clear",
                            s.machine().firingSince(),
                            s.machine().streak(),
                            s.machine().lastActionAt(),
                            s.retrainPending(),
                            s.lastTraining(),
                            s.lastRun(),
                            s.note())));
        }
        return new RulesView(model, set.get().updatedAt(), views, store.recentFirings(model, 20));
    }

    /** The model's rules as stored (defaults filled in); empty when it has none. */
    public List<Rule> rules(String model) {
        return store.rules(model).map(s -> read(s.json())).orElse(List.of());
    }

    void modelDeleted(@Observes ModelDeleted deleted) {
        store.deleteModel(deleted.model());
    }

    /** Each rule checked in order; returns them with defaults filled in. */
    static List<Rule> validate(RulesRequest request) {
        if (request == null || request.rules() == null) {
            throw invalid("rules", "rules is required: a list of rules (empty to remove them)");
        }
        if (request.rules().size() > MAX_RULES) {
            throw invalid(
                    "rules",
                    "at most " + MAX_RULES + " rules per model; got "
                            + request.rules().size());
        }
        List<Rule> valid = new ArrayList<>();
        for (int i = 0; i < request.rules().size(); i++) {
            valid.add(validate(request.rules().get(i), "rules[" + i + "]."));
        }
        return valid;
    }

    private static Rule validate(Rule rule, String at) {
        if (rule == null) {
            throw invalid(at.substring(0, at.length() - 1), "a rule must be an object");
        }
        if (rule.signal() != null
                && (rule.signal().equals("realisedPerformance") || rule.signal().equals("estimatedPerformance"))) {
            throw invalid(
                    at + "signal",
                    "signal '" + rule.signal() + "' is not supported yet: windows do not carry"
                            + " performance; use datasetDrift, featureDrift, skew or volumeZero");
        }
        RuleSignal signal = RuleSignal.ofWire(rule.signal())
                .orElseThrow(() -> invalid(
                        at + "signal",
                        "signal must be one of datasetDrift, featureDrift, skew, volumeZero; was "
                                + quoted(rule.signal())));
        RuleAction action = RuleAction.ofWire(rule.action())
                .orElseThrow(() ->
                        invalid(at + "action", "action must be one of alert, retrain; was " + quoted(rule.action())));
        Double threshold = rule.threshold();
        List<String> features = rule.features();
        String kind = rule.kind();
        if (signal != RuleSignal.FEATURE_DRIFT && features != null) {
            throw invalid(at + "features", "features only apply to signal featureDrift");
        }
        if (signal != RuleSignal.SKEW && kind != null) {
            throw invalid(at + "kind", "kind only applies to signal skew");
        }
        switch (signal) {
            case DATASET_DRIFT -> threshold = share(at, threshold == null ? DEFAULT_DATASET_SHARE : threshold);
            case SKEW -> {
                if (threshold == null) {
                    throw invalid(at + "threshold", "threshold is required for signal skew: a rate in (0, 1]");
                }
                threshold = share(at, threshold);
                if (kind == null || !SKEW_KINDS.containsKey(kind)) {
                    throw invalid(
                            at + "kind",
                            "kind must be one of missing, unseen-category, out-of-range, refused; was " + quoted(kind));
                }
            }
            case FEATURE_DRIFT -> {
                if (threshold != null) {
                    throw invalid(at + "threshold", "featureDrift has no threshold: a feature drifts by its status");
                }
                if (features == null || features.isEmpty()) {
                    throw invalid(at + "features", "featureDrift needs at least one feature name");
                }
                for (int j = 0; j < features.size(); j++) {
                    if (features.get(j) == null || features.get(j).isBlank()) {
                        throw invalid(at + "features[" + j + "]", "a feature name must not be blank");
                    }
                }
                features = List.copyOf(features);
            }
            case VOLUME_ZERO -> {
                if (threshold != null) {
                    throw invalid(at + "threshold", "volumeZero has no threshold");
                }
            }
        }
        int windows = rule.consecutiveWindows() == null ? 1 : rule.consecutiveWindows();
        if (windows < 1 || windows > 1000) {
            throw invalid(at + "consecutiveWindows", "consecutiveWindows must be from 1 to 1000; was " + windows);
        }
        String cooldown = rule.cooldown() == null ? DEFAULT_COOLDOWN : rule.cooldown();
        Duration parsed;
        try {
            parsed = Duration.parse(cooldown);
        } catch (DateTimeParseException e) {
            throw invalid(
                    at + "cooldown", "cooldown must be an ISO-8601 duration such as PT24H; was '" + cooldown + "'");
        }
        if (parsed.isNegative()) {
            throw invalid(at + "cooldown", "cooldown must not be negative; was " + cooldown);
        }
        Boolean includeFeedback = rule.includeFeedback();
        if (action != RuleAction.RETRAIN && includeFeedback != null) {
            throw invalid(at + "includeFeedback", "includeFeedback only applies to action retrain");
        }
        if (action == RuleAction.RETRAIN && includeFeedback == null) {
            includeFeedback = false;
        }
        return new Rule(
                signal.wireName(), threshold, features, kind, action.wireName(), windows, cooldown, includeFeedback);
    }

    private static double share(String at, double value) {
        if (!(value > 0 && value <= 1)) {
            throw invalid(at + "threshold", "threshold must be a share in (0, 1]; was " + value);
        }
        return value;
    }

    private static String quoted(String s) {
        return s == null ? "nothing" : "'" + s + "'";
    }

    private static ProblemException invalid(String field, String detail) {
        return new ProblemException(
                Problem.of(400, "invalid-rule", "Bad request", detail).with("field", field));
    }

    private void requireModel(String model) {
        if (specs.spec(model).isEmpty()) {
            throw ProblemException.notFound("no model '" + model + "'");
        }
    }

    private String write(List<Rule> rules) {
        try {
            return json.writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Rule> read(String text) {
        try {
            return json.readValue(text, RULES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
