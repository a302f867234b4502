package io.tenantml.training;

import io.tenantml.feature.FeatureInput;
import io.tenantml.feature.FeatureKind;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.Objective;
import io.tenantml.model.TargetEncoding;
import io.tenantml.monitoring.ReferenceProfile;
import io.tenantml.statistics.FrequentValuesSketch;
import io.tenantml.statistics.QuantileSketch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds a model version's {@link ReferenceProfile} from what training has at hand: the encoded training
 * rows, and the labels and predictions of the validation rows. Metric intervals are percentile bootstrap
 * intervals (resampling validation rows with replacement, seeded by the training's seed, so a retraining of
 * the same data gives the same intervals); a resample where a metric is undefined is left out of it.
 */
public final class ReferenceProfiler {

    /** Bootstrap resamples per metric interval. */
    public static final int RESAMPLES = 200;
    /** The intervals' level. */
    public static final double CONFIDENCE = 0.95;

    private ReferenceProfiler() {}

    public static ReferenceProfile profile(
            Objective objective,
            TargetEncoding target,
            FeatureTransform transform,
            float[] train,
            int trainRows,
            float[] validLabels,
            float[][] validPredictions,
            long seed) {
        return new ReferenceProfile(
                features(transform, train, trainRows),
                validation(objective, target, validLabels, validPredictions),
                metrics(objective, validLabels, validPredictions, seed),
                new ReferenceProfile.ReferenceProvenance(
                        null,
                        null,
                        0,
                        null,
                        trainRows,
                        validLabels.length,
                        seed,
                        QuantileSketch.DEFAULT_K,
                        FrequentValuesSketch.DEFAULT_MAX_MAP_SIZE,
                        RESAMPLES,
                        "percentile bootstrap, " + RESAMPLES + " resamples, " + CONFIDENCE + " level",
                        null));
    }

    private static List<ReferenceProfile.FeatureReference> features(
            FeatureTransform transform, float[] train, int rows) {
        int width = transform.width();
        String[] names = transform.featureNames();
        List<ReferenceProfile.FeatureReference> features = new ArrayList<>(width);
        int feature = 0;
        for (FeatureInput input : transform.inputs()) {
            for (int part = 0; part < input.width(); part++, feature++) {
                boolean categorical = input.kind() == FeatureKind.CATEGORICAL;
                QuantileSketch quantiles = categorical ? null : new QuantileSketch();
                FrequentValuesSketch categories = categorical ? new FrequentValuesSketch() : null;
                long missing = 0;
                for (int r = 0; r < rows; r++) {
                    float v = train[r * width + feature];
                    if (Float.isNaN(v)) {
                        missing++;
                    } else if (categorical) {
                        categories.add(input.categories().get((int) v));
                    } else {
                        quantiles.add(v);
                    }
                }
                features.add(new ReferenceProfile.FeatureReference(
                        names[feature],
                        input.column(),
                        categorical
                                ? io.tenantml.monitoring.FeatureKind.CATEGORICAL
                                : io.tenantml.monitoring.FeatureKind.NUMERIC,
                        rows,
                        missing,
                        quantiles,
                        categories));
            }
        }
        return features;
    }

    private static ReferenceProfile.ValidationReference validation(
            Objective objective, TargetEncoding target, float[] labels, float[][] predictions) {
        List<String> names = objective == Objective.MULTICLASS ? target.classes() : List.of("score");
        List<QuantileSketch> outputs = new ArrayList<>();
        for (int o = 0; o < names.size(); o++) {
            QuantileSketch sketch = new QuantileSketch();
            for (float[] p : predictions) {
                sketch.add(p[o]);
            }
            outputs.add(sketch);
        }
        if (objective == Objective.REGRESSION) {
            QuantileSketch values = new QuantileSketch();
            for (float label : labels) {
                values.add(label);
            }
            return new ReferenceProfile.ValidationReference(labels.length, names, outputs, null, values);
        }
        FrequentValuesSketch classes = new FrequentValuesSketch();
        for (float label : labels) {
            classes.add(target.classes().get((int) label));
        }
        return new ReferenceProfile.ValidationReference(labels.length, names, outputs, classes, null);
    }

    /** Each metric on all validation rows, with its percentile bootstrap interval. */
    static Map<String, ReferenceProfile.MetricEstimate> metrics(
            Objective objective, float[] labels, float[][] predictions, long seed) {
        Map<String, Double> full = Metrics.compute(objective, labels, predictions);
        Map<String, double[]> samples = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        full.keySet().forEach(name -> {
            samples.put(name, new double[RESAMPLES]);
            counts.put(name, 0);
        });
        SplittableRandom random = new SplittableRandom(seed);
        int n = labels.length;
        float[] l = new float[n];
        float[][] p = new float[n][];
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(n);
                l[i] = labels[pick];
                p[i] = predictions[pick];
            }
            Map<String, Double> m = Metrics.compute(objective, l, p);
            for (Map.Entry<String, Double> e : m.entrySet()) {
                if (samples.containsKey(e.getKey()) && Double.isFinite(e.getValue())) {
                    int c = counts.get(e.getKey());
                    samples.get(e.getKey())[c] = e.getValue();
                    counts.put(e.getKey(), c + 1);
                }
            }
        }
        Map<String, ReferenceProfile.MetricEstimate> estimates = new LinkedHashMap<>();
        double alpha = (1 - CONFIDENCE) / 2;
        for (Map.Entry<String, Double> e : full.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                continue; // undefined on these rows (e.g. one class only): no estimate to state
            }
            int c = counts.get(e.getKey());
            double[] sorted = Arrays.copyOf(samples.get(e.getKey()), c);
            Arrays.sort(sorted);
            double lower = c == 0 ? e.getValue() : sorted[(int) Math.floor(alpha * (c - 1))];
            double upper = c == 0 ? e.getValue() : sorted[(int) Math.ceil((1 - alpha) * (c - 1))];
            estimates.put(e.getKey(), new ReferenceProfile.MetricEstimate(e.getValue(), lower, upper, CONFIDENCE, c));
        }
        return estimates;
    }
}
