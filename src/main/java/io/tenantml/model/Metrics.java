package io.tenantml.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Validation metrics per objective, computed in double from the model's float outputs. Binary: auc, prAuc
 * (average precision), logloss, accuracy and f1 at 0.5; multiclass: accuracy, macroF1, mlogloss;
 * regression: rmse, mae, r2. Shared by training (validation metrics, the gate, the reference profile's
 * intervals) and monitoring (realised performance from feedback), so a figure means the same in both.
 */
public final class Metrics {

    private static final Set<String> HIGHER_IS_BETTER = Set.of("auc", "prAuc", "accuracy", "f1", "macroF1", "r2");
    /** Probabilities are clipped so that one confident mistake gives a large but finite loss. */
    private static final double EPS = 1e-15;

    private Metrics() {}

    public static List<String> namesFor(Objective objective) {
        return switch (objective) {
            case BINARY -> List.of("auc", "prAuc", "logloss", "accuracy", "f1");
            case MULTICLASS -> List.of("accuracy", "macroF1", "mlogloss");
            case REGRESSION -> List.of("rmse", "mae", "r2");
        };
    }

    /** The probability from which a binary model predicts its positive class (serving's label uses it too). */
    public static final double BINARY_THRESHOLD = 0.5;

    /**
     * A metric on all rows with its percentile bootstrap interval.
     *
     * @param value      on all rows
     * @param lower      the interval's lower end
     * @param upper      its upper end
     * @param confidence the interval's level, e.g. 0.95
     * @param resamples  resamples on which the metric was defined (those where it was not are left out)
     */
    public record Interval(double value, double lower, double upper, double confidence, int resamples) {}

    public static boolean higherIsBetter(String metric) {
        return HIGHER_IS_BETTER.contains(metric);
    }

    /** The values a metric can take, ends included: [0, 1] for scores and shares, (-∞, 1] for r2, [0, ∞) for losses. */
    public record Range(double min, double max) {
        public boolean contains(double value) {
            return value >= min && value <= max;
        }

        @Override
        public String toString() {
            return (min == Double.NEGATIVE_INFINITY ? "(-∞" : "[" + format(min)) + ", "
                    + (max == Double.POSITIVE_INFINITY ? "∞)" : format(max) + "]");
        }

        private static String format(double end) {
            return end == Math.rint(end) ? Long.toString((long) end) : Double.toString(end);
        }
    }

    public static Range range(String metric) {
        if (metric.equals("r2")) {
            return new Range(Double.NEGATIVE_INFINITY, 1);
        }
        return HIGHER_IS_BETTER.contains(metric) ? new Range(0, 1) : new Range(0, Double.POSITIVE_INFINITY);
    }

    /**
     * @param labels      0/1 (binary), class index (multiclass) or value (regression)
     * @param predictions one row per label: [p(positive)], class probabilities, or [value]
     */
    public static Map<String, Double> compute(Objective objective, float[] labels, float[][] predictions) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("no validation rows to evaluate");
        }
        return switch (objective) {
            case BINARY -> binary(labels, predictions);
            case MULTICLASS -> multiclass(labels, predictions);
            case REGRESSION -> regression(labels, predictions);
        };
    }

    /**
     * The same metrics for the baseline every model must beat: the training split's class prior (binary,
     * multiclass: its majority class decides accuracy and F1) or its mean (regression), for every row.
     */
    public static Map<String, Double> baseline(
            Objective objective, float[] trainLabels, float[] validLabels, int numClass) {
        float[] constant;
        switch (objective) {
            case BINARY -> {
                double positives = 0;
                for (float label : trainLabels) {
                    positives += label;
                }
                constant = new float[] {(float) (positives / trainLabels.length)};
            }
            case MULTICLASS -> {
                constant = new float[numClass];
                for (float label : trainLabels) {
                    constant[(int) label] += 1f / trainLabels.length;
                }
            }
            case REGRESSION -> {
                double sum = 0;
                for (float label : trainLabels) {
                    sum += label;
                }
                constant = new float[] {(float) (sum / trainLabels.length)};
            }
            default -> throw new IllegalStateException();
        }
        float[][] predictions = new float[validLabels.length][];
        Arrays.fill(predictions, constant);
        return compute(objective, validLabels, predictions);
    }

    /**
     * Each metric of {@link #compute} with its percentile bootstrap interval: rows resampled with replacement
     * {@code resamples} times from a generator seeded with {@code seed} (the same rows and seed give the same
     * interval); a resample on which a metric is undefined is left out of its interval, and a metric undefined
     * on all rows is left out of the answer.
     */
    public static Map<String, Interval> bootstrap(
            Objective objective, float[] labels, float[][] predictions, int resamples, double confidence, long seed) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be positive, was " + resamples);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), was " + confidence);
        }
        Map<String, Double> full = compute(objective, labels, predictions);
        Map<String, double[]> samples = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        full.keySet().forEach(name -> {
            samples.put(name, new double[resamples]);
            counts.put(name, 0);
        });
        SplittableRandom random = new SplittableRandom(seed);
        int n = labels.length;
        float[] l = new float[n];
        float[][] p = new float[n][];
        // Binary metrics sort each resample by score (AUC, average precision), which dominated the cost for large
        // label sets. Each resample is laid out in the original rows' score order instead (the same picks from the
        // same generator, so the same multiset and the same metric values): sorting already-ordered rows is linear.
        int[] byScore = null;
        int[] rank = null;
        int[] picked = null;
        if (objective == Objective.BINARY) {
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = predictions[i][0];
            }
            byScore = sortedByScore(scores);
            rank = new int[n];
            for (int r = 0; r < n; r++) {
                rank[byScore[r]] = r;
            }
            picked = new int[n];
        }
        for (int b = 0; b < resamples; b++) {
            if (byScore != null) {
                Arrays.fill(picked, 0);
                for (int i = 0; i < n; i++) {
                    picked[rank[random.nextInt(n)]]++;
                }
                int at = 0;
                for (int r = 0; r < n; r++) {
                    for (int c = picked[r]; c > 0; c--) {
                        l[at] = labels[byScore[r]];
                        p[at] = predictions[byScore[r]];
                        at++;
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int pick = random.nextInt(n);
                    l[i] = labels[pick];
                    p[i] = predictions[pick];
                }
            }
            Map<String, Double> m = compute(objective, l, p);
            for (Map.Entry<String, Double> e : m.entrySet()) {
                if (samples.containsKey(e.getKey()) && Double.isFinite(e.getValue())) {
                    int c = counts.get(e.getKey());
                    samples.get(e.getKey())[c] = e.getValue();
                    counts.put(e.getKey(), c + 1);
                }
            }
        }
        Map<String, Interval> intervals = new LinkedHashMap<>();
        double alpha = (1 - confidence) / 2;
        for (Map.Entry<String, Double> e : full.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                continue; // undefined on these rows (e.g. one class only): no estimate to state
            }
            int c = counts.get(e.getKey());
            double[] sorted = Arrays.copyOf(samples.get(e.getKey()), c);
            Arrays.sort(sorted);
            double lower = c == 0 ? e.getValue() : sorted[(int) Math.floor(alpha * (c - 1))];
            double upper = c == 0 ? e.getValue() : sorted[(int) Math.ceil((1 - alpha) * (c - 1))];
            intervals.put(e.getKey(), new Interval(e.getValue(), lower, upper, confidence, c));
        }
        return intervals;
    }

    private static Map<String, Double> binary(float[] labels, float[][] predictions) {
        int n = labels.length;
        double[] scores = new double[n];
        double logloss = 0;
        int tp = 0, fp = 0, fn = 0, correct = 0;
        for (int i = 0; i < n; i++) {
            double p = predictions[i][0];
            scores[i] = p;
            boolean positive = labels[i] > 0.5f;
            double clipped = Math.min(Math.max(p, EPS), 1 - EPS);
            logloss -= positive ? Math.log(clipped) : Math.log(1 - clipped);
            boolean predicted = p >= BINARY_THRESHOLD;
            if (predicted == positive) {
                correct++;
            }
            if (predicted && positive) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (positive) {
                fn++;
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("auc", auc(labels, scores));
        metrics.put("prAuc", averagePrecision(labels, scores));
        metrics.put("logloss", logloss / n);
        metrics.put("accuracy", (double) correct / n);
        metrics.put("f1", tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn));
        return metrics;
    }

    /** Rank-sum (Mann-Whitney) AUC with average ranks for ties; 0.5 when one class is absent. */
    public static double auc(float[] labels, double[] scores) {
        int[] order = sortedByScore(scores);
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] > 0.5f) {
                    rankSumPositive += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            return 0.5;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Area under the precision-recall curve as average precision; tied scores form one threshold. */
    public static double averagePrecision(float[] labels, double[] scores) {
        int[] order = sortedByScore(scores);
        long totalPositives = 0;
        for (float label : labels) {
            if (label > 0.5f) {
                totalPositives++;
            }
        }
        if (totalPositives == 0) {
            return 0.0;
        }
        double ap = 0;
        long tp = 0, seen = 0;
        double previousRecall = 0;
        int i = order.length - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            for (int k = j; k <= i; k++) {
                seen++;
                if (labels[order[k]] > 0.5f) {
                    tp++;
                }
            }
            double recall = (double) tp / totalPositives;
            double precision = (double) tp / seen;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
            i = j - 1;
        }
        return ap;
    }

    /**
     * Row indices in ascending score order. Scores are probabilities that came from floats, so the float
     * bits of a score (monotonic for non-negative floats) and the row index pack into one primitive long:
     * sorting 40,000 longs is far cheaper than sorting boxed indices with a comparator.
     */
    private static int[] sortedByScore(double[] scores) {
        long[] packed = new long[scores.length];
        boolean packable = true;
        for (int i = 0; i < scores.length; i++) {
            float f = (float) scores[i];
            if (!(f >= 0f) || f != scores[i]) {
                packable = false;
                break;
            }
            packed[i] = ((long) Float.floatToIntBits(f + 0f) << 32) | i;
        }
        if (!packable) {
            return java.util.stream.IntStream.range(0, scores.length)
                    .boxed()
                    .sorted((a, b) -> Double.compare(scores[a], scores[b]))
                    .mapToInt(Integer::intValue)
                    .toArray();
        }
        Arrays.sort(packed);
        int[] order = new int[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) packed[i];
        }
        return order;
    }

    private static Map<String, Double> multiclass(float[] labels, float[][] predictions) {
        int n = labels.length;
        int k = predictions[0].length;
        long[] tp = new long[k], fp = new long[k], fn = new long[k];
        double logloss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int truth = (int) labels[i];
            float[] p = predictions[i];
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            double clipped = Math.min(Math.max(p[truth], EPS), 1 - EPS);
            logloss -= Math.log(clipped);
            if (best == truth) {
                correct++;
                tp[truth]++;
            } else {
                fp[best]++;
                fn[truth]++;
            }
        }
        double f1Sum = 0;
        int classes = 0;
        for (int c = 0; c < k; c++) {
            // classes that are neither present nor predicted carry no information about this split
            if (tp[c] + fp[c] + fn[c] == 0) {
                continue;
            }
            classes++;
            f1Sum += tp[c] == 0 ? 0.0 : 2.0 * tp[c] / (2.0 * tp[c] + fp[c] + fn[c]);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", (double) correct / n);
        metrics.put("macroF1", classes == 0 ? 0.0 : f1Sum / classes);
        metrics.put("mlogloss", logloss / n);
        return metrics;
    }

    private static Map<String, Double> regression(float[] labels, float[][] predictions) {
        int n = labels.length;
        double mean = 0;
        for (float label : labels) {
            mean += label;
        }
        mean /= n;
        double squared = 0, absolute = 0, total = 0;
        for (int i = 0; i < n; i++) {
            double error = predictions[i][0] - (double) labels[i];
            squared += error * error;
            absolute += Math.abs(error);
            total += (labels[i] - mean) * (labels[i] - mean);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("rmse", Math.sqrt(squared / n));
        metrics.put("mae", absolute / n);
        metrics.put("r2", total == 0 ? 0.0 : 1 - squared / total);
        return metrics;
    }
}
