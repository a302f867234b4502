package io.tenantml.training;

import io.tenantml.feature.FeatureInput;
import io.tenantml.feature.FeatureKind;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.Metrics;
import io.tenantml.model.Objective;
import io.tenantml.model.TargetEncoding;
import io.tenantml.monitoring.ReferenceProfile;
import io.tenantml.statistics.FrequentValuesSketch;
import io.tenantml.statistics.QuantileSketch;
import java.util.ArrayList;
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
                        null),
                objective == Objective.REGRESSION ? null : validationSample(validLabels, validPredictions, seed));
    }

    /**
     * The validation rows row by row for calibration (CBPE); a seeded sample without replacement (partial
     * Fisher–Yates) when there are more than {@link ReferenceProfile.ValidationSample#MAX_ROWS}.
     */
    static ReferenceProfile.ValidationSample validationSample(float[] labels, float[][] predictions, long seed) {
        int n = labels.length;
        int max = ReferenceProfile.ValidationSample.MAX_ROWS;
        if (n <= max) {
            return new ReferenceProfile.ValidationSample(labels.clone(), predictions.clone());
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] l = new float[max];
        float[][] p = new float[max][];
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            l[i] = labels[order[i]];
            p[i] = predictions[order[i]];
        }
        return new ReferenceProfile.ValidationSample(l, p);
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

    /** Each metric on all validation rows, with its percentile bootstrap interval ({@link Metrics#bootstrap}). */
    static Map<String, ReferenceProfile.MetricEstimate> metrics(
            Objective objective, float[] labels, float[][] predictions, long seed) {
        Map<String, ReferenceProfile.MetricEstimate> estimates = new LinkedHashMap<>();
        Metrics.bootstrap(objective, labels, predictions, RESAMPLES, CONFIDENCE, seed)
                .forEach((name, i) -> estimates.put(
                        name,
                        new ReferenceProfile.MetricEstimate(
                                i.value(), i.lower(), i.upper(), i.confidence(), i.resamples())));
        return estimates;
    }
}
