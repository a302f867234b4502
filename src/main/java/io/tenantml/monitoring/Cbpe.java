package io.tenantml.monitoring;

import io.tenantml.model.Metrics;
import io.tenantml.model.Objective;
import io.tenantml.monitoring.internal.IsotonicCalibration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Confidence-based performance estimation (CBPE), as NannyML defines it: a classifier's scores, once
 * calibrated on reference rows whose labels are known, are the probabilities that each prediction is right,
 * so the expected confusion matrix, and the metrics computed from it, of a window follow from its scores
 * alone. Fitted on a version's validation rows ({@link ReferenceProfile.ValidationSample}).
 *
 * <ul>
 *   <li>Calibration: isotonic regression of the labels on the scores, per output (one-vs-rest for multiclass,
 *       rows then normalised to sum to 1), used only where it lowers the expected calibration error on
 *       held-out reference rows ({@link IsotonicCalibration#helps}).
 *   <li>Binary, at the model's threshold ({@link Metrics#BINARY_THRESHOLD}) on the uncalibrated score: expected
 *       TP = Σ p over predicted positives, FP = Σ (1 − p) over them, FN and TN likewise over predicted
 *       negatives; accuracy = (TP + TN) / n, F1 = 2TP / (2TP + FP + FN); AUC from the ROC curve whose steps
 *       are expected true and false positives in descending uncalibrated score (equal scores one step).
 *   <li>Multiclass: accuracy = mean calibrated probability of the predicted (highest-score) class.
 *   <li>Estimation interval: value ± 3 sampling errors (clipped to [0, 1]); the sampling error is NannyML's,
 *       derived on the reference: accuracy σ(correct)/√n; AUC σ of the Mann–Whitney components/√(n·share of
 *       the minority class); F1 σ of the relevant rows' components/√(n·share of relevant rows).
 * </ul>
 */
public final class Cbpe {

    /** Sampling errors either side of an estimate (NannyML's {@code SAMPLING_ERROR_RANGE}). */
    public static final double SAMPLING_ERROR_RANGE = 3;

    public static final String METHOD = "cbpe: isotonic calibration on the validation rows where it lowers their "
            + "expected calibration error; interval = estimate ± 3 sampling errors";

    private final Objective objective;
    private final List<String> outputNames;
    private final IsotonicCalibration[] calibrations; // null entry: that output is used as it is
    private final double accuracyStd;
    private final double aucStd;
    private final double aucFraction;
    private final double f1Std;
    private final double f1Fraction;

    private Cbpe(
            Objective objective,
            List<String> outputNames,
            IsotonicCalibration[] calibrations,
            double accuracyStd,
            double aucStd,
            double aucFraction,
            double f1Std,
            double f1Fraction) {
        this.objective = objective;
        this.outputNames = outputNames;
        this.calibrations = calibrations;
        this.accuracyStd = accuracyStd;
        this.aucStd = aucStd;
        this.aucFraction = aucFraction;
        this.f1Std = f1Std;
        this.f1Fraction = f1Fraction;
    }

    /**
     * Fits the estimator on a classifier's reference rows.
     *
     * @param outputNames binary: the one output's name; multiclass: the classes in output order
     * @param seed        seeds the held-out splits of the calibration check
     */
    public static Cbpe fit(
            Objective objective, List<String> outputNames, ReferenceProfile.ValidationSample reference, long seed) {
        Objects.requireNonNull(reference, "reference");
        if (objective == Objective.REGRESSION) {
            throw new IllegalArgumentException("CBPE estimates classifiers only");
        }
        int n = reference.rows();
        if (n < 2) {
            throw new IllegalArgumentException("CBPE needs reference rows, got " + n);
        }
        int width = reference.width();
        float[] labels = reference.labels();
        float[][] outputs = reference.outputs();
        IsotonicCalibration[] calibrations = new IsotonicCalibration[width];
        for (int o = 0; o < width; o++) {
            double[] scores = new double[n];
            double[] isClass = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = outputs[i][o];
                isClass[i] =
                        objective == Objective.BINARY ? (labels[i] > 0.5f ? 1 : 0) : ((int) labels[i] == o ? 1 : 0);
            }
            double auc = Metrics.auc(toFloat(isClass), scores);
            if (IsotonicCalibration.helps(scores, isClass, auc, seed + o)) {
                calibrations[o] = IsotonicCalibration.fit(scores, isClass);
            }
        }
        // accuracy: the standard deviation of "prediction right" on the reference
        double[] correct = new double[n];
        for (int i = 0; i < n; i++) {
            correct[i] = predicted(objective, outputs[i]) == (int) labels[i] ? 1 : 0;
        }
        double accuracyStd = std(correct);
        double aucStd = Double.NaN, aucFraction = Double.NaN, f1Std = Double.NaN, f1Fraction = Double.NaN;
        if (objective == Objective.BINARY) {
            double[] auc = aucComponents(labels, outputs);
            aucStd = auc[0];
            aucFraction = auc[1];
            double[] f1 = f1Components(labels, outputs);
            f1Std = f1[0];
            f1Fraction = f1[1];
        }
        return new Cbpe(
                objective, List.copyOf(outputNames), calibrations, accuracyStd, aucStd, aucFraction, f1Std, f1Fraction);
    }

    /** The estimate over a window's logged outputs (one row per scored prediction, as the log keeps them). */
    public EstimatedPerformance estimate(List<float[]> outputs) {
        List<String> calibrated = new ArrayList<>();
        for (int o = 0; o < calibrations.length; o++) {
            if (calibrations[o] != null) {
                calibrated.add(outputNames.get(o));
            }
        }
        int n = outputs.size();
        Map<String, EstimatedPerformance.EstimatedMetric> metrics = new LinkedHashMap<>();
        if (n == 0) {
            return new EstimatedPerformance(Cbpe.METHOD, 0, calibrated, metrics, null);
        }
        if (objective == Objective.MULTICLASS) {
            double sum = 0;
            for (float[] row : outputs) {
                sum += calibratedRow(row)[predicted(objective, row)];
            }
            metrics.put("accuracy", metric(sum / n, accuracyStd / Math.sqrt(n)));
            return new EstimatedPerformance(Cbpe.METHOD, n, calibrated, metrics, null);
        }
        double[] score = new double[n];
        double[] p = new double[n];
        double tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < n; i++) {
            score[i] = outputs.get(i)[0];
            p[i] = calibrations[0] == null ? score[i] : calibrations[0].calibrate(score[i]);
            if (score[i] >= Metrics.BINARY_THRESHOLD) {
                tp += p[i];
                fp += 1 - p[i];
            } else {
                fn += p[i];
                tn += 1 - p[i];
            }
        }
        double auc = expectedAuc(score, p);
        if (Double.isFinite(auc)) { // undefined when every calibrated probability is 0 (or every one 1)
            metrics.put("auc", metric(auc, aucStd / Math.sqrt(n * aucFraction)));
        }
        metrics.put("accuracy", metric((tp + tn) / n, accuracyStd / Math.sqrt(n)));
        double f1Denominator = 2 * tp + fp + fn;
        metrics.put("f1", metric(f1Denominator == 0 ? 0 : 2 * tp / f1Denominator, f1Std / Math.sqrt(n * f1Fraction)));
        return new EstimatedPerformance(
                Cbpe.METHOD, n, calibrated, metrics, new EstimatedPerformance.ExpectedConfusion(tp, fp, tn, fn));
    }

    private double[] calibratedRow(float[] row) {
        double[] p = new double[row.length];
        double sum = 0;
        for (int c = 0; c < row.length; c++) {
            p[c] = calibrations[c] == null ? row[c] : calibrations[c].calibrate(row[c]);
            sum += p[c];
        }
        for (int c = 0; c < row.length; c++) {
            p[c] = sum == 0 ? 1.0 / row.length : p[c] / sum;
        }
        return p;
    }

    private static EstimatedPerformance.EstimatedMetric metric(double value, double samplingError) {
        if (!Double.isFinite(samplingError)) {
            return new EstimatedPerformance.EstimatedMetric(value, null, 0, 1);
        }
        return new EstimatedPerformance.EstimatedMetric(
                value,
                samplingError,
                Math.max(0, value - SAMPLING_ERROR_RANGE * samplingError),
                Math.min(1, value + SAMPLING_ERROR_RANGE * samplingError));
    }

    /**
     * The area under the ROC curve whose steps are the expected true positives (calibrated p) and false
     * positives (1 − p) of rows in descending uncalibrated score; tied scores make one step (a diagonal),
     * as the realised AUC's average ranks treat ties.
     */
    static double expectedAuc(double[] score, double[] p) {
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        double totalTp = 0;
        for (double v : p) {
            totalTp += v;
        }
        double totalFp = n - totalTp;
        if (totalTp <= 0 || totalFp <= 0) {
            return Double.NaN;
        }
        double area = 0, tps = 0, fps = 0;
        int i = 0;
        while (i < n) {
            double stepTp = 0, stepFp = 0;
            int j = i;
            while (j < n && score[order[j]] == score[order[i]]) {
                stepTp += p[order[j]];
                stepFp += 1 - p[order[j]];
                j++;
            }
            // trapezoid between (fps, tps) and (fps + stepFp, tps + stepTp), normalised at the end
            area += stepFp * (tps + stepTp / 2);
            tps += stepTp;
            fps += stepFp;
            i = j;
        }
        return area / (totalTp * totalFp);
    }

    /** NannyML's AUROC sampling error components: (σ, share of the minority class). */
    static double[] aucComponents(float[] labels, float[][] outputs) {
        int n = labels.length;
        double[] y = new double[n];
        double[] s = new double[n];
        double positives = 0;
        for (int i = 0; i < n; i++) {
            y[i] = labels[i] > 0.5f ? 1 : 0;
            s[i] = outputs[i][0];
            positives += y[i];
        }
        if (positives / n > 0.5) {
            for (int i = 0; i < n; i++) {
                y[i] = 1 - y[i];
                s[i] = 1 - s[i];
            }
            positives = n - positives;
        }
        double negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return new double[] {Double.NaN, 0};
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
        // per positive, in score order: how many negatives rank below it, over the negatives
        double[] components = new double[(int) positives];
        int k = 0;
        for (int rank = 0; rank < n; rank++) {
            if (y[order[rank]] == 1) {
                components[k] = (rank - k) / negatives;
                k++;
            }
        }
        return new double[] {std(components), positives / n};
    }

    /** NannyML's F1 sampling error components: (σ of the corrected TP/FP/FN indicators, share of those rows). */
    static double[] f1Components(float[] labels, float[][] outputs) {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean truth = labels[i] > 0.5f;
            boolean predicted = outputs[i][0] >= Metrics.BINARY_THRESHOLD;
            if (truth && predicted) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (truth) {
                fn++;
            }
        }
        int relevant = tp + fp + fn;
        if (relevant == 0) {
            return new double[] {Double.NaN, 0};
        }
        double correcting = relevant / ((fn + fp) * 0.5 + tp);
        double[] values = new double[relevant];
        for (int i = 0; i < tp; i++) {
            values[i] = correcting;
        }
        return new double[] {std(values), (double) relevant / labels.length};
    }

    private static int predicted(Objective objective, float[] row) {
        if (objective == Objective.BINARY) {
            return row[0] >= Metrics.BINARY_THRESHOLD ? 1 : 0;
        }
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Population standard deviation (NumPy's default, ddof = 0). */
    private static double std(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / values.length);
    }

    private static float[] toFloat(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
