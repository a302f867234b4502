package io.tenantml.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantml.model.Metrics;
import io.tenantml.model.Objective;
import io.tenantml.monitoring.MonitoringWindow;
import io.tenantml.monitoring.ReferenceProfiles;
import io.tenantml.registry.ModelDeleted;
import io.tenantml.rules.internal.RuleStore;
import io.tenantml.rules.internal.WatchStore;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.Texts;
import io.tenantml.training.ModelSpec;
import io.tenantml.training.ModelSpecService;
import io.tenantml.training.SpecChangeCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

/**
 * The current tenant's monitoring rules per model: validated and stored whole ({@link #put}), read with each
 * rule's state ({@link #get}). Evaluated after every window run by {@code internal.RuleEvaluator}.
 */
@ApplicationScoped
public class MonitoringRules implements SpecChangeCheck {

    /** Rules per model at most. */
    public static final int MAX_RULES = 50;

    static final String DEFAULT_COOLDOWN = "PT24H";

    /** The longest cooldown a rule may have: a rule that should act at most once a year says so; longer is a typo. */
    static final Duration MAX_COOLDOWN = Duration.ofDays(365);

    static final double DEFAULT_DATASET_SHARE = 0.5;

    /** Labels (realised) or scored predictions (estimated) a window needs to count for a performance rule. */
    public static final int DEFAULT_MIN_SAMPLES = 30;

    /** Every metric of every objective (see {@link Metrics#namesFor}). */
    static final Set<String> METRICS = java.util.Arrays.stream(Objective.values())
            .flatMap(o -> Metrics.namesFor(o).stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** What CBPE estimates (binary: all three; multiclass: accuracy). */
    static final Set<String> ESTIMATED_METRICS = Set.of("auc", "accuracy", "f1");

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
    io.tenantml.shared.database.NameLocks nameLocks;

    @Inject
    io.tenantml.tenancy.TenantContext tenantContext;

    @Inject
    WatchStore watchStore;

    @Inject
    ModelSpecService specs;

    @Inject
    ReferenceProfiles references;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /**
     * Puts the model's rules (an empty list removes them). A rule of the same key as one before (its name; or, both
     * unnamed, its content), or saying exactly the same under another name or none, continues that rule
     * ({@link RuleKeys#match}): it keeps its cooldown clock (when it last acted), its pending retrain (if it still
     * retrains), its last training (so that the promotion of that training is still watched), its firings and its
     * watch in progress; it keeps its episode and streak too unless its signal changed. A changed signal starts
     * the episode afresh, because the windows counted so far said whether the old definition held; the cooldown
     * clock stays whatever changed, because an edit must not let a rule act again at once (a retrain storm after
     * fixing a typo). Every other rule starts clear; a rule before the PUT that none continues is removed: its
     * state goes, its watch in progress ends (its firings stay, under its key).
     *
     * @throws ProblemException 400 naming the field ({@code rules[i].threshold}, {@code rules[i].name}) of the
     *     first invalid rule; 404 for an unknown model
     */
    @Transactional
    public RulesView put(String model, RulesRequest request) {
        List<Rule> rules = validate(request);
        // one PUT of the model's rules at a time, then the states, locked as a window run's evaluation locks them:
        // one waits for the other
        // (the states' row locks do that once a model has rules; before its first there is no row to lock)
        // The spec is read under the lock: a spec change checks the rules under it too (beforeChange), so the two
        // cannot each pass against what the other is replacing.
        nameLocks.lock("monitoring-rules", tenantContext.require(), model);
        ModelSpec spec = requireModel(model);
        checkObjective(rules, spec.objective());
        checkFeatures(rules, model, spec);
        List<RuleStore.StateRow> states = store.states(model, true);
        List<Rule> before = withTodaysDefaults(rules(model));
        Map<Integer, RuleStore.StateRow> byPosition = new HashMap<>();
        states.stream().filter(s -> s.position() < before.size()).forEach(s -> byPosition.put(s.position(), s));
        List<Optional<RuleKeys.Continued>> continued = RuleKeys.match(before, rules);
        Map<Integer, RuleStore.StateRow> kept = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            int index = i;
            continued.get(i).map(c -> byPosition.get(c.previous())).ifPresent(s -> kept.put(index, s));
        }
        Instant now = clock.instant();
        Set<String> keptKeys = new HashSet<>();
        kept.values().forEach(s -> keptKeys.add(s.key()));
        for (RuleStore.StateRow s : states) {
            if (!keptKeys.contains(s.key())) {
                store.deleteState(model, s.key());
                watchStore.endActiveOfRule(
                        model, s.key(), "its rule " + describe(s.key()) + " was removed from the model's rules", now);
            }
        }
        store.writeSet(model, rules.isEmpty() ? null : write(rules), now);
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String key = RuleKeys.key(rule);
            RuleStore.StateRow previous = kept.get(i);
            if (previous == null) {
                store.insertState(model, key, i);
                continue;
            }
            boolean signalChanged = continued.get(i).orElseThrow().signalChanged();
            boolean retrains = RuleAction.ofWire(rule.action()).orElseThrow() == RuleAction.RETRAIN;
            store.keep(model, previous.key(), key, i, signalChanged, retrains);
            if (!previous.key().equals(key)) {
                watchStore.renameRule(model, previous.key(), key);
            }
        }
        return get(model);
    }

    /** @throws ProblemException 404 for an unknown model */
    @Transactional
    public RulesView get(String model) {
        requireModel(model);
        Optional<RuleStore.RuleSet> set = store.rules(model);
        List<Rule> rules = set.map(s -> read(s.json())).orElse(List.of());
        List<RuleStore.StateRow> states = set.isEmpty() ? List.of() : store.states(model, false);
        Map<String, Integer> positions = new HashMap<>();
        List<RulesView.RuleView> views = new ArrayList<>();
        for (RuleStore.StateRow s : states) {
            if (s.position() >= rules.size()) {
                continue;
            }
            positions.put(s.key(), s.position());
            views.add(new RulesView.RuleView(
                    s.position(),
                    s.key(),
                    rules.get(s.position()),
                    new RulesView.RuleStateView(
                            s.machine().firing() ? RuleStatus.FIRING : RuleStatus.CLEAR,
                            s.machine().firingSince(),
                            s.machine().streak(),
                            s.machine().lastActionAt(),
                            s.retrainPending(),
                            s.lastTraining(),
                            s.lastRun(),
                            s.note())));
        }
        List<RulesView.Firing> firings = store.recentFirings(model, RECENT_FIRINGS).stream()
                .map(f -> firing(f, positions))
                .toList();
        return new RulesView(
                model, set.map(RuleStore.RuleSet::updatedAt).orElse(null), views, firings, watches(model, positions));
    }

    /** How many firings the rules' view shows; the rest are in {@link #firings}. */
    static final int RECENT_FIRINGS = 20;

    /**
     * Everything the model's rules did, newest first, a page at a time (the rules' view shows the latest 20 only).
     *
     * @throws ProblemException 404 for an unknown model
     */
    @Transactional
    public Page<RulesView.Firing> firings(String model, PageRequest page) {
        // the cursor is checked before the model: a bad one is the caller's 400 whatever it names
        List<String> after = page.after(FIRINGS, 2);
        requireModel(model);
        Map<String, Integer> positions = new HashMap<>();
        if (store.rules(model).isPresent()) {
            for (RuleStore.StateRow s : store.states(model, false)) {
                positions.put(s.key(), s.position());
            }
        }
        List<RuleStore.FiringRow> rows = store.firings(
                model,
                after == null ? null : PageRequest.instant(after.get(0)),
                after == null ? null : PageRequest.value(after.get(1), UUID::fromString),
                page.fetchSize());
        return page.page(
                rows.stream().map(f -> firing(f, positions)).toList(),
                FIRINGS,
                f -> List.of(f.at().toString(), f.id().toString()));
    }

    private static final String FIRINGS = "rule-firings";

    /** A firing as the API shows it: the rule's position now, absent when the rule has been removed since. */
    private static RulesView.Firing firing(RuleStore.FiringRow f, Map<String, Integer> positions) {
        return new RulesView.Firing(
                f.id(),
                positions.get(f.key()),
                f.key(),
                RuleKeys.nameOf(f.key()).orElse(null),
                FiringKind.fromWire(f.kind()),
                f.at(),
                f.run(),
                f.event(),
                f.training(),
                f.note());
    }

    private List<RulesView.Watch> watches(String model, Map<String, Integer> positions) {
        return watchStore.recent(model, 5).stream()
                .map(w -> new RulesView.Watch(
                        w.id(),
                        w.status(),
                        positions.get(w.ruleKey()),
                        w.ruleKey(),
                        RuleKeys.nameOf(w.ruleKey()).orElse(null),
                        w.training(),
                        w.version(),
                        w.previousVersion(),
                        w.metric(),
                        w.rollbackMargin(),
                        w.minSamples(),
                        w.windows(),
                        w.counted(),
                        w.startedAt(),
                        w.baseline(),
                        w.baselineSource(),
                        w.lastValue(),
                        w.lastSource(),
                        w.lastSamples(),
                        w.lastRun(),
                        w.endedAt(),
                        w.event(),
                        w.note()))
                .toList();
    }

    /**
     * Stored rules as validation fills them in today, so that a rule stored before a default was added (such as
     * includeFeedback) has the content key the same rule put now has; as stored if they no longer validate.
     */
    private static List<Rule> withTodaysDefaults(List<Rule> stored) {
        try {
            return validate(new RulesRequest(stored));
        } catch (ProblemException e) {
            return stored;
        }
    }

    private static String describe(String key) {
        return RuleKeys.nameOf(key).map(name -> "'" + name + "'").orElse(key);
    }

    /** The model's rules as stored (defaults filled in); empty when it has none. */
    public List<Rule> rules(String model) {
        return store.rules(model).map(s -> read(s.json())).orElse(List.of());
    }

    /**
     * A spec whose objective the model's rules do not fit is refused (409), not stored beside rules that would
     * never fire again (an {@code auc} floor on a multiclass model has no value to compare).
     */
    @Override
    public void beforeChange(String model, ModelSpec previous, ModelSpec next) {
        if (previous.objective() == next.objective()) {
            return;
        }
        nameLocks.lock("monitoring-rules", tenantContext.require(), model);
        try {
            checkObjective(rules(model), next.objective());
        } catch (ProblemException e) {
            throw new ProblemException(Problem.of(
                            409,
                            "rules-do-not-fit-objective",
                            "Conflict",
                            "objective " + next.objective().wireName() + " does not fit the model's monitoring rules: "
                                    + e.problem().extensions().get("field") + ": "
                                    + e.problem().detail()
                                    + "; change or remove those rules first")
                    .with("field", "objective"));
        }
    }

    void modelDeleted(@Observes ModelDeleted deleted) {
        store.deleteModel(deleted.model());
    }

    /**
     * A featureDrift rule naming a feature the model has never had would never fire, silently: its names must be
     * features of a trained version (as the windows name them) or input columns the spec trains on now (for a
     * rule set before the training that adds them). A model with neither is not checked: nothing to check with.
     */
    private void checkFeatures(List<Rule> rules, String model, ModelSpec spec) {
        if (rules.stream().allMatch(rule -> rule.features() == null)) {
            return; // no rule names a feature: nothing to read the model's features for
        }
        Set<String> known = new TreeSet<>(references.featureColumns(model, null).keySet());
        known.addAll(specs.currentFeatures(spec));
        if (known.isEmpty()) {
            return;
        }
        for (int i = 0; i < rules.size(); i++) {
            List<String> features = rules.get(i).features();
            for (int j = 0; features != null && j < features.size(); j++) {
                if (!known.contains(features.get(j))) {
                    throw invalid(
                            "rules[" + i + "].features[" + j + "]",
                            "model '" + model + "' has no feature '" + features.get(j) + "'; known: "
                                    + Texts.listed(known, MAX_NAMES_IN_DETAIL));
                }
            }
        }
    }

    private static final int MAX_NAMES_IN_DETAIL = 40;

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
        Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < request.rules().size(); i++) {
            Rule rule = validate(request.rules().get(i), "rules[" + i + "].");
            Integer same = keys.putIfAbsent(RuleKeys.key(rule), i);
            if (same != null && rule.name() != null) {
                throw invalid(
                        "rules[" + i + "].name",
                        "name '" + rule.name() + "' is already the name of rules[" + same + "]: names are unique");
            }
            if (same != null) {
                // one key, two states: the same rule twice would also act twice on one signal
                throw invalid(
                        "rules[" + i + "]",
                        "rules[" + i + "] says the same as rules[" + same + "]; give them names if both are meant");
            }
            valid.add(rule);
        }
        return valid;
    }

    private static Rule validate(Rule rule, String at) {
        if (rule == null) {
            throw invalid(at.substring(0, at.length() - 1), "a rule must be an object");
        }
        String name = rule.name();
        if (name != null && !RuleKeys.NAME.matcher(name).matches()) {
            throw invalid(
                    at + "name",
                    "name must be 1 to 64 letters, digits, '.', '_' or '-' (the rule's stable identity); was '" + name
                            + "'");
        }
        RuleSignal signal = RuleSignal.ofWire(rule.signal())
                .orElseThrow(() -> invalid(
                        at + "signal",
                        "signal must be one of datasetDrift, featureDrift, skew, volumeZero, realisedPerformance,"
                                + " estimatedPerformance; was " + quoted(rule.signal())));
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
            case REALISED_PERFORMANCE, ESTIMATED_PERFORMANCE -> {
                if (threshold != null) {
                    throw invalid(
                            at + "threshold", signal.wireName() + " has no threshold: it uses floor and/or margin");
                }
            }
        }
        Performance performance = performance(rule, signal, action, at);
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
        if (parsed.compareTo(MAX_COOLDOWN) > 0) {
            throw invalid(at + "cooldown", "cooldown must be at most P365D (a year); was " + cooldown);
        }
        Boolean includeFeedback = rule.includeFeedback();
        if (action != RuleAction.RETRAIN && includeFeedback != null) {
            throw invalid(at + "includeFeedback", "includeFeedback only applies to action retrain");
        }
        if (action == RuleAction.RETRAIN && includeFeedback == null) {
            includeFeedback = false;
        }
        return new Rule(
                name,
                signal.wireName(),
                threshold,
                features,
                kind,
                action.wireName(),
                windows,
                cooldown,
                performance.metric(),
                performance.floor(),
                performance.margin(),
                performance.minSamples(),
                performance.watchWindows(),
                performance.rollbackMargin(),
                includeFeedback);
    }

    /** The performance and watch settings of a rule, checked and with their defaults. */
    private record Performance(
            String metric,
            Double floor,
            Double margin,
            Integer minSamples,
            Integer watchWindows,
            Double rollbackMargin) {}

    private static Performance performance(Rule rule, RuleSignal signal, RuleAction action, String at) {
        boolean watch = rule.watchWindows() != null;
        if (!signal.performance()) {
            if (rule.floor() != null) {
                throw invalid(
                        at + "floor", "floor only applies to signals realisedPerformance and estimatedPerformance");
            }
            if (rule.margin() != null) {
                throw invalid(
                        at + "margin", "margin only applies to signals realisedPerformance and estimatedPerformance");
            }
            if (rule.metric() != null && !watch) {
                throw invalid(
                        at + "metric",
                        "metric only applies to signals realisedPerformance and estimatedPerformance, and to the"
                                + " watch of a retrain rule (watchWindows)");
            }
            if (rule.minSamples() != null && !watch) {
                throw invalid(
                        at + "minSamples",
                        "minSamples only applies to signals realisedPerformance and estimatedPerformance, and to the"
                                + " watch of a retrain rule (watchWindows)");
            }
        }
        String metric = rule.metric();
        if (signal.performance() && metric == null) {
            throw invalid(at + "metric", signal.wireName() + " needs a metric, e.g. auc, accuracy or rmse");
        }
        if (metric != null) {
            Set<String> known = signal == RuleSignal.ESTIMATED_PERFORMANCE ? ESTIMATED_METRICS : METRICS;
            if (!known.contains(metric)) {
                throw invalid(
                        at + "metric",
                        "metric must be one of " + known.stream().sorted().toList()
                                + (signal == RuleSignal.ESTIMATED_PERFORMANCE ? " (what CBPE estimates)" : "")
                                + "; was " + quoted(metric));
            }
        }
        Double floor = rule.floor();
        Double margin = rule.margin();
        if (signal.performance()) {
            if (floor == null && margin == null) {
                throw invalid(
                        at + "floor",
                        signal.wireName() + " needs a floor (the worst acceptable value), a margin (how much worse"
                                + " than the validation figure), or both");
            }
            if (floor != null && !Double.isFinite(floor)) {
                throw invalid(at + "floor", "floor must be a finite number; was " + floor);
            }
            if (floor != null && !Metrics.range(metric).contains(floor)) {
                // outside the range the rule would fire on every window, or on none
                throw invalid(
                        at + "floor",
                        "floor must lie in " + metric + "'s range " + Metrics.range(metric) + "; was " + floor);
            }
            if (margin != null && !(Double.isFinite(margin) && margin >= 0)) {
                throw invalid(at + "margin", "margin must be a finite number of at least 0; was " + margin);
            }
        }
        Integer minSamples = null;
        if (signal.performance() || watch) {
            minSamples = rule.minSamples() == null ? DEFAULT_MIN_SAMPLES : rule.minSamples();
            if (minSamples < 1 || minSamples > 1_000_000) {
                throw invalid(at + "minSamples", "minSamples must be from 1 to 1000000; was " + minSamples);
            }
        }
        Integer watchWindows = rule.watchWindows();
        Double rollbackMargin = rule.rollbackMargin();
        if (watch) {
            if (action != RuleAction.RETRAIN) {
                throw invalid(
                        at + "watchWindows",
                        "watchWindows only applies to action retrain: it watches the version the retrain promoted");
            }
            if (watchWindows < 1 || watchWindows > 1000) {
                throw invalid(at + "watchWindows", "watchWindows must be from 1 to 1000; was " + watchWindows);
            }
            if (rollbackMargin == null) {
                throw invalid(
                        at + "rollbackMargin",
                        "rollbackMargin is required with watchWindows: how much worse than the previous version the"
                                + " promoted one may be, in the metric's units");
            }
            if (!(Double.isFinite(rollbackMargin) && rollbackMargin >= 0)) {
                throw invalid(
                        at + "rollbackMargin",
                        "rollbackMargin must be a finite number of at least 0; was " + rollbackMargin);
            }
        } else if (rollbackMargin != null) {
            throw invalid(at + "rollbackMargin", "rollbackMargin only applies with watchWindows");
        }
        return new Performance(metric, floor, margin, minSamples, watchWindows, rollbackMargin);
    }

    /**
     * What only the model's objective can say: a metric of the objective, CBPE only for classifiers (accuracy only
     * for multiclass).
     */
    static void checkObjective(List<Rule> rules, Objective objective) {
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String at = "rules[" + i + "].";
            String name = rule.name();
            if (name != null && !RuleKeys.NAME.matcher(name).matches()) {
                throw invalid(
                        at + "name",
                        "name must be 1 to 64 letters, digits, '.', '_' or '-' (the rule's stable identity); was '"
                                + name + "'");
            }
            RuleSignal signal = RuleSignal.ofWire(rule.signal()).orElseThrow();
            if (signal == RuleSignal.ESTIMATED_PERFORMANCE && objective == Objective.REGRESSION) {
                throw invalid(
                        at + "signal",
                        "estimatedPerformance needs a classifier (CBPE estimates from class probabilities); this"
                                + " model is a regression: use realisedPerformance");
            }
            if (rule.metric() != null) {
                List<String> allowed = signal == RuleSignal.ESTIMATED_PERFORMANCE
                        ? Metrics.namesFor(objective).stream()
                                .filter(ESTIMATED_METRICS::contains)
                                .toList()
                        : Metrics.namesFor(objective);
                if (!allowed.contains(rule.metric())) {
                    throw invalid(
                            at + "metric",
                            "metric '" + rule.metric() + "' is not one of this " + objective.wireName()
                                    + " model's metrics " + allowed);
                }
            }
        }
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
        return ProblemException.badField("invalid-rule", field, detail);
    }

    private ModelSpec requireModel(String model) {
        return specs.spec(model).orElseThrow(() -> ProblemException.notFound("no model '" + model + "'"));
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
