package io.tenantml.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named XGBoost settings; every component may be omitted (null) in a spec and takes its default through
 * {@link #withDefaults()}. Validated at construction, naming the wrong parameter.
 *
 * @param numRounds           upper bound of boosting rounds
 * @param earlyStoppingRounds stop after this many rounds without improvement on the validation split (0: never)
 * @param seed                the only source of randomness (row and column subsampling, the random split)
 */
public record XGBoostParams(
        Integer maxDepth,
        Double eta,
        Integer numRounds,
        Integer earlyStoppingRounds,
        Double subsample,
        Double colsampleBytree,
        Double minChildWeight,
        Double lambda,
        Double alpha,
        Long seed) {

    public static final XGBoostParams DEFAULTS = new XGBoostParams(6, 0.1, 200, 20, 1.0, 1.0, 1.0, 1.0, 0.0, 42L);

    public XGBoostParams {
        check(maxDepth == null || (maxDepth >= 1 && maxDepth <= 20), "params.maxDepth", "must be 1..20");
        check(eta == null || (eta > 0 && eta <= 1), "params.eta", "must be in (0, 1]");
        check(numRounds == null || (numRounds >= 1 && numRounds <= 10_000), "params.numRounds", "must be 1..10000");
        check(
                earlyStoppingRounds == null || (earlyStoppingRounds >= 0 && earlyStoppingRounds <= 1000),
                "params.earlyStoppingRounds",
                "must be 0..1000");
        check(subsample == null || (subsample > 0 && subsample <= 1), "params.subsample", "must be in (0, 1]");
        check(
                colsampleBytree == null || (colsampleBytree > 0 && colsampleBytree <= 1),
                "params.colsampleBytree",
                "must be in (0, 1]");
        check(minChildWeight == null || minChildWeight >= 0, "params.minChildWeight", "must be >= 0");
        check(lambda == null || lambda >= 0, "params.lambda", "must be >= 0");
        check(alpha == null || alpha >= 0, "params.alpha", "must be >= 0");
    }

    private static void check(boolean ok, String field, String rule) {
        if (!ok) {
            throw new InvalidSpecException(field, field + " " + rule);
        }
    }

    /** These settings with every omitted one taken from {@link #DEFAULTS}. */
    public XGBoostParams withDefaults() {
        XGBoostParams d = DEFAULTS;
        return new XGBoostParams(
                or(maxDepth, d.maxDepth),
                or(eta, d.eta),
                or(numRounds, d.numRounds),
                or(earlyStoppingRounds, d.earlyStoppingRounds),
                or(subsample, d.subsample),
                or(colsampleBytree, d.colsampleBytree),
                or(minChildWeight, d.minChildWeight),
                or(lambda, d.lambda),
                or(alpha, d.alpha),
                or(seed, d.seed));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /**
     * The booster parameters XGBoost4J receives. Native categorical support needs the hist tree method;
     * {@code maximize_evaluation_metrics} is explicit because the stopping metrics are all losses.
     */
    public Map<String, Object> boosterParams(Objective objective, int numClass, int threads) {
        XGBoostParams p = withDefaults();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", objective.xgboostObjective());
        if (objective == Objective.MULTICLASS) {
            params.put("num_class", numClass);
        }
        params.put("eval_metric", objective.stoppingMetric());
        params.put("maximize_evaluation_metrics", "false");
        params.put("tree_method", "hist");
        params.put("enable_categorical", true);
        params.put("max_depth", p.maxDepth);
        params.put("eta", p.eta);
        params.put("subsample", p.subsample);
        params.put("colsample_bytree", p.colsampleBytree);
        params.put("min_child_weight", p.minChildWeight);
        params.put("lambda", p.lambda);
        params.put("alpha", p.alpha);
        params.put("seed", p.seed);
        params.put("nthread", threads);
        params.put("verbosity", 0);
        return params;
    }
}
