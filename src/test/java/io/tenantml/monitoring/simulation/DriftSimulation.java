package io.tenantml.monitoring.simulation;

import io.tenantml.monitoring.CategoricalSummary;
import io.tenantml.monitoring.DatasetDriftVerdict;
import io.tenantml.monitoring.DriftRule;
import io.tenantml.monitoring.DriftRuleSettings;
import io.tenantml.monitoring.FeatureComparison;
import io.tenantml.monitoring.FeatureDriftStatus;
import io.tenantml.monitoring.NumericSummary;
import io.tenantml.statistics.Moments;
import io.tenantml.statistics.QuantileSketch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seeded simulation of issue 11, acceptance 2: a 20-feature model (12 numeric of varied shapes, 8
 * categorical of 2 to 200 categories), a training reference, and windows of traffic with or without a
 * shift, each judged three ways: our rule on exact summaries, our rule on KLL sketches (what the windows
 * job will hold), and Evidently's default rule on the raw values.
 */
final class DriftSimulation {

    /** How a window is judged. */
    enum Judge {
        OURS_EXACT("ours, exact summaries"),
        OURS_KLL("ours, KLL sketches"),
        EVIDENTLY("Evidently default");

        final String label;

        Judge(String label) {
            this.label = label;
        }
    }

    /** One judge's verdict on one window. */
    record Verdict(boolean[] featureDrift, boolean datasetDrift, boolean insufficient) {
        boolean anyDrift() {
            for (boolean d : featureDrift) {
                if (d) {
                    return true;
                }
            }
            return false;
        }
    }

    final SimulatedFeature[] features = SimulatedFeature.model();
    private final int kllK;
    private final List<Judge> judges;
    private final DriftRule rule = new DriftRule(DriftRuleSettings.defaults());
    private final NumericSummary[] referenceExact = new NumericSummary[features.length];
    private final NumericSummary[] referenceKll = new NumericSummary[features.length];
    private final long[][] referenceCounts = new long[features.length][];
    private final CategoricalSummary[] referenceCategories = new CategoricalSummary[features.length];

    /** The exact judge's full verdict on the last window, for failure messages. */
    DatasetDriftVerdict lastExactVerdict;

    DriftSimulation(long seed, int referenceSize, int kllK, List<Judge> judges) {
        this.kllK = kllK;
        this.judges = List.copyOf(judges);
        SplittableRandom random = new SplittableRandom(seed);
        for (int f = 0; f < features.length; f++) {
            switch (features[f]) {
                case SimulatedFeature.Numeric numeric -> {
                    double[] values = numeric.draw(random, referenceSize, 0.0);
                    referenceExact[f] = NumericSummary.exact(values);
                    if (judges.contains(Judge.OURS_KLL)) {
                        referenceKll[f] = kll(values);
                    }
                }
                case SimulatedFeature.Categorical categorical -> {
                    referenceCounts[f] = categorical.draw(random, referenceSize, 0.0);
                    referenceCategories[f] = categories(referenceCounts[f]);
                }
            }
        }
    }

    int featureCount() {
        return features.length;
    }

    /**
     * Draws one window of n rows (seeded by {@code windowSeed}) in which feature {@code shifted} (or none,
     * −1) moves by {@code amount} (standard deviations for numeric features, share for categorical ones),
     * and judges it with every configured judge.
     */
    Map<Judge, Verdict> window(long windowSeed, int n, int shifted, double amount) {
        SplittableRandom random = new SplittableRandom(windowSeed);
        List<FeatureComparison> exact = new ArrayList<>();
        List<FeatureComparison> sketched = new ArrayList<>();
        boolean[] evidently = new boolean[features.length];
        for (int f = 0; f < features.length; f++) {
            double move = f == shifted ? amount : 0.0;
            switch (features[f]) {
                case SimulatedFeature.Numeric numeric -> {
                    double[] values = numeric.draw(random, n, move);
                    NumericSummary summary = NumericSummary.exact(values);
                    exact.add(new FeatureComparison(numeric.name(), referenceExact[f], summary));
                    if (judges.contains(Judge.OURS_KLL)) {
                        sketched.add(new FeatureComparison(numeric.name(), referenceKll[f], kll(values)));
                    }
                    if (judges.contains(Judge.EVIDENTLY)) {
                        evidently[f] = EvidentlyDefaultRule.numericDrift(referenceExact[f], summary);
                    }
                }
                case SimulatedFeature.Categorical categorical -> {
                    long[] counts = categorical.draw(random, n, move);
                    CategoricalSummary summary = categories(counts);
                    // capped exact counts: the production categorical summary is exact at these cardinalities
                    exact.add(new FeatureComparison(categorical.name(), referenceCategories[f], summary));
                    sketched.add(new FeatureComparison(categorical.name(), referenceCategories[f], summary));
                    if (judges.contains(Judge.EVIDENTLY)) {
                        evidently[f] = EvidentlyDefaultRule.categoricalDrift(referenceCounts[f], counts);
                    }
                }
            }
        }
        Map<Judge, Verdict> out = new LinkedHashMap<>();
        if (judges.contains(Judge.OURS_EXACT)) {
            lastExactVerdict = rule.judge(exact);
            out.put(Judge.OURS_EXACT, ours(lastExactVerdict));
        }
        if (judges.contains(Judge.OURS_KLL)) {
            out.put(Judge.OURS_KLL, ours(rule.judge(sketched)));
        }
        if (judges.contains(Judge.EVIDENTLY)) {
            int drifted = 0;
            for (boolean d : evidently) {
                drifted += d ? 1 : 0;
            }
            out.put(
                    Judge.EVIDENTLY,
                    new Verdict(
                            evidently, (double) drifted / features.length >= EvidentlyDefaultRule.DRIFT_SHARE, false));
        }
        return out;
    }

    private static Verdict ours(DatasetDriftVerdict verdict) {
        boolean[] drift = new boolean[verdict.features().size()];
        for (int i = 0; i < drift.length; i++) {
            drift[i] = verdict.features().get(i).status() == FeatureDriftStatus.DRIFT;
        }
        return new Verdict(
                drift,
                verdict.status() == FeatureDriftStatus.DRIFT,
                verdict.status() == FeatureDriftStatus.INSUFFICIENT_DATA);
    }

    private NumericSummary kll(double[] values) {
        QuantileSketch sketch = new QuantileSketch(kllK);
        Moments moments = new Moments();
        for (double value : values) {
            sketch.add(value);
            moments.add(value);
        }
        return NumericSummary.of(sketch, moments);
    }

    private static CategoricalSummary categories(long[] counts) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                map.put("c" + i, counts[i]);
            }
        }
        return CategoricalSummary.ofCounts(map);
    }
}
