package io.tenantml.training;

import io.tenantml.feature.FeatureInput;
import io.tenantml.feature.FeatureKind;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.LeakageMeasure;
import io.tenantml.model.Metrics;
import io.tenantml.model.Objective;
import io.tenantml.model.TrainingWarning;
import io.tenantml.model.TrainingWarningKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Training-time check for target leakage: a feature that alone predicts the target almost perfectly is
 * usually derived from it (a component of the target's own total, a status set after the outcome).
 * <p>
 * The measure is the out-of-sample score of a one-feature lookup model: on the training split, the feature
 * is cut into bins (a categorical code or a missing value is its own bin; a numeric feature is cut at up to
 * {@link Settings#maxBins()} quantiles), each bin predicts the mean label of its training rows (the class
 * shares for a classifier), and that prediction is scored on the validation split, where a bin the training
 * split never had predicts the overall mean. Regression is scored by R² (1 − SSE/SST), binary
 * classification by AUC, multiclass by the macro average of one-vs-rest AUCs. Scoring out of sample keeps a
 * high-cardinality identifier from looking predictive (its values are unseen in validation), and the bins
 * capture any monotone or non-monotone relation, not only a linear one. A timestamp column counts as
 * leaking when any of its parts does.
 */
public final class LeakageCheck {

    /**
     * @param rSquaredThreshold a regression feature at or above this out-of-sample R² is flagged
     * @param aucThreshold      a classification feature at or above this out-of-sample AUC is flagged
     * @param maxBins           most quantile bins of a numeric feature
     * @param minRowsPerBin     fewer bins when the training split is small, so each bin has about this many rows
     */
    public record Settings(double rSquaredThreshold, double aucThreshold, int maxBins, int minRowsPerBin) {
        public static final Settings DEFAULTS = new Settings(0.98, 0.99, 50, 20);

        public Settings {
            if (!(rSquaredThreshold > 0 && rSquaredThreshold <= 1)) {
                throw new IllegalArgumentException("rSquaredThreshold must be in (0, 1]: " + rSquaredThreshold);
            }
            if (!(aucThreshold > 0.5 && aucThreshold <= 1)) {
                throw new IllegalArgumentException("aucThreshold must be in (0.5, 1]: " + aucThreshold);
            }
            if (maxBins < 2) {
                throw new IllegalArgumentException("maxBins must be at least 2: " + maxBins);
            }
            if (minRowsPerBin < 1) {
                throw new IllegalArgumentException("minRowsPerBin must be at least 1: " + minRowsPerBin);
            }
        }
    }

    /** One column's single-feature score. */
    public record Score(String column, LeakageMeasure measure, double value) {}

    private LeakageCheck() {}

    /**
     * The columns whose single-feature score reaches the threshold, as warnings.
     *
     * @param train row-major encoded training rows ({@code transform.width()} per row)
     * @param valid row-major encoded validation rows
     */
    public static List<TrainingWarning> check(
            Objective objective,
            int numClass,
            FeatureTransform transform,
            float[] train,
            float[] trainLabels,
            float[] valid,
            float[] validLabels,
            Settings settings) {
        Objects.requireNonNull(settings, "settings");
        List<TrainingWarning> warnings = new ArrayList<>();
        for (Score score : scores(objective, numClass, transform, train, trainLabels, valid, validLabels, settings)) {
            double threshold = score.measure() == LeakageMeasure.R_SQUARED
                    ? settings.rSquaredThreshold()
                    : settings.aucThreshold();
            if (score.value() >= threshold) {
                warnings.add(new TrainingWarning(
                        TrainingWarningKind.LIKELY_LEAKAGE,
                        score.column(),
                        score.measure(),
                        score.value(),
                        threshold,
                        String.format(
                                Locale.ROOT,
                                "'%s' alone predicts the target with %s %.4f (threshold %.4f) on the validation rows: "
                                        + "it is probably derived from the target; check that it is known at "
                                        + "prediction time",
                                score.column(),
                                score.measure().wireName(),
                                score.value(),
                                threshold)));
            }
        }
        return List.copyOf(warnings);
    }

    /** Every input column's single-feature score (the highest of its features' for a timestamp). */
    public static List<Score> scores(
            Objective objective,
            int numClass,
            FeatureTransform transform,
            float[] train,
            float[] trainLabels,
            float[] valid,
            float[] validLabels,
            Settings settings) {
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(transform, "transform");
        int width = transform.width();
        if (train.length != trainLabels.length * width || valid.length != validLabels.length * width) {
            throw new IllegalArgumentException("encoded rows do not match the labels and the transform's width");
        }
        LeakageMeasure measure = objective == Objective.REGRESSION ? LeakageMeasure.R_SQUARED : LeakageMeasure.AUC;
        int classes = objective == Objective.MULTICLASS ? numClass : 1;
        List<Score> scores = new ArrayList<>();
        if (trainLabels.length == 0 || validLabels.length == 0) {
            return scores;
        }
        int offset = 0;
        for (FeatureInput input : transform.inputs()) {
            double best = Double.NEGATIVE_INFINITY;
            for (int part = 0; part < input.width(); part++) {
                int feature = offset + part;
                Bins bins = input.kind() == FeatureKind.CATEGORICAL
                        ? Bins.exact()
                        : Bins.quantiles(column(train, width, feature), trainLabels.length, settings);
                double[][] predicted = predict(bins, train, trainLabels, valid, width, feature, objective, classes);
                best = Math.max(best, score(objective, classes, validLabels, predicted));
            }
            scores.add(new Score(input.column(), measure, best));
            offset += input.width();
        }
        return scores;
    }

    private static float[] column(float[] data, int width, int feature) {
        float[] out = new float[data.length / width];
        for (int r = 0; r < out.length; r++) {
            out[r] = data[r * width + feature];
        }
        return out;
    }

    /** Maps a feature value to a bin key: NaN has its own key, categorical codes are keys themselves. */
    private record Bins(double[] edges) {
        static final long MISSING = Long.MIN_VALUE;

        static Bins exact() {
            return new Bins(null);
        }

        static Bins quantiles(float[] values, int rows, Settings settings) {
            float[] present = new float[values.length];
            int n = 0;
            for (float v : values) {
                if (!Float.isNaN(v)) {
                    present[n++] = v;
                }
            }
            float[] sorted = Arrays.copyOf(present, n);
            Arrays.sort(sorted);
            int bins = Math.max(2, Math.min(settings.maxBins(), rows / settings.minRowsPerBin()));
            double[] edges = new double[bins - 1];
            int kept = 0;
            for (int i = 1; i < bins && n > 0; i++) {
                double edge = sorted[(int) Math.min(n - 1, (long) i * n / bins)];
                if (kept == 0 || edge > edges[kept - 1]) {
                    edges[kept++] = edge;
                }
            }
            return new Bins(Arrays.copyOf(edges, kept));
        }

        long key(float value) {
            if (Float.isNaN(value)) {
                return MISSING;
            }
            if (edges == null) {
                return (long) value;
            }
            // bin i holds values in [edges[i-1], edges[i]); the first bin everything below edges[0]
            int at = Arrays.binarySearch(edges, value);
            return at >= 0 ? at + 1 : -at - 1;
        }
    }

    /** Each validation row's prediction by the bin means (class shares) of the training rows. */
    private static double[][] predict(
            Bins bins,
            float[] train,
            float[] trainLabels,
            float[] valid,
            int width,
            int feature,
            Objective objective,
            int classes) {
        int slots = objective == Objective.REGRESSION || objective == Objective.BINARY ? 1 : classes;
        Map<Long, double[]> sums = new HashMap<>(); // per bin: sum per slot, then the row count
        double[] overall = new double[slots + 1];
        for (int r = 0; r < trainLabels.length; r++) {
            double[] sum = sums.computeIfAbsent(bins.key(train[r * width + feature]), k -> new double[slots + 1]);
            add(sum, trainLabels[r], objective);
            add(overall, trainLabels[r], objective);
        }
        int rows = valid.length / width;
        double[][] predicted = new double[rows][];
        for (int r = 0; r < rows; r++) {
            double[] sum = sums.getOrDefault(bins.key(valid[r * width + feature]), overall);
            double[] p = new double[slots];
            for (int s = 0; s < slots; s++) {
                p[s] = sum[s] / sum[slots];
            }
            predicted[r] = p;
        }
        return predicted;
    }

    private static void add(double[] sum, float label, Objective objective) {
        if (objective == Objective.MULTICLASS) {
            sum[(int) label] += 1;
        } else {
            sum[0] += label;
        }
        sum[sum.length - 1] += 1;
    }

    private static double score(Objective objective, int classes, float[] labels, double[][] predicted) {
        return switch (objective) {
            case REGRESSION -> {
                double mean = 0;
                for (float y : labels) {
                    mean += y;
                }
                mean /= labels.length;
                double sse = 0;
                double sst = 0;
                for (int r = 0; r < labels.length; r++) {
                    sse += (labels[r] - predicted[r][0]) * (labels[r] - predicted[r][0]);
                    sst += (labels[r] - mean) * (labels[r] - mean);
                }
                yield sst == 0 ? 0.0 : 1 - sse / sst;
            }
            case BINARY -> Metrics.auc(labels, column(predicted, 0));
            case MULTICLASS -> {
                double total = 0;
                int counted = 0;
                for (int c = 0; c < classes; c++) {
                    float[] isClass = new float[labels.length];
                    boolean any = false;
                    boolean all = true;
                    for (int r = 0; r < labels.length; r++) {
                        isClass[r] = labels[r] == c ? 1f : 0f;
                        any |= isClass[r] == 1f;
                        all &= isClass[r] == 1f;
                    }
                    if (any && !all) { // AUC is undefined for a class absent from (or alone in) validation
                        total += Metrics.auc(isClass, column(predicted, c));
                        counted++;
                    }
                }
                yield counted == 0 ? 0.5 : total / counted;
            }
        };
    }

    private static double[] column(double[][] rows, int at) {
        double[] out = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = rows[r][at];
        }
        return out;
    }
}
