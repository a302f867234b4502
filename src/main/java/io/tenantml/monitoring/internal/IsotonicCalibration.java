package io.tenantml.monitoring.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Isotonic regression of labels (0/1) on scores, as scikit-learn's {@code IsotonicRegression(increasing=True,
 * out_of_bounds="clip")} fits it: equal scores pooled first (their labels averaged, weighted by count), then
 * pool-adjacent-violators; between the distinct scores the fit is interpolated linearly, outside their range it
 * is clipped to the end values. The calibrator NannyML's CBPE uses, with its test of whether calibration helps.
 */
public final class IsotonicCalibration {

    private final double[] x;
    private final double[] y;

    private IsotonicCalibration(double[] x, double[] y) {
        this.x = x;
        this.y = y;
    }

    /** Fits labels (0 or 1) on scores; both non-empty and of equal length. */
    public static IsotonicCalibration fit(double[] scores, double[] labels) {
        int n = scores.length;
        if (n == 0 || labels.length != n) {
            throw new IllegalArgumentException(n + " scores and " + labels.length + " labels");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double[] ux = new double[n];
        double[] sumY = new double[n];
        double[] weight = new double[n];
        int u = -1;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (u < 0 || scores[i] != ux[u]) {
                u++;
                ux[u] = scores[i];
            }
            sumY[u] += labels[i];
            weight[u] += 1;
        }
        int distinct = u + 1;
        // pool adjacent violators over the distinct scores: blocks of (sum, weight), each covering a run of them
        double[] blockSum = new double[distinct];
        double[] blockWeight = new double[distinct];
        int[] blockEnd = new int[distinct];
        int blocks = 0;
        for (int j = 0; j < distinct; j++) {
            blockSum[blocks] = sumY[j];
            blockWeight[blocks] = weight[j];
            blockEnd[blocks] = j;
            blocks++;
            while (blocks > 1
                    && blockSum[blocks - 2] / blockWeight[blocks - 2]
                            >= blockSum[blocks - 1] / blockWeight[blocks - 1]) {
                blockSum[blocks - 2] += blockSum[blocks - 1];
                blockWeight[blocks - 2] += blockWeight[blocks - 1];
                blockEnd[blocks - 2] = blockEnd[blocks - 1];
                blocks--;
            }
        }
        double[] fitted = new double[distinct];
        int start = 0;
        for (int b = 0; b < blocks; b++) {
            double mean = blockSum[b] / blockWeight[b];
            for (int j = start; j <= blockEnd[b]; j++) {
                fitted[j] = mean;
            }
            start = blockEnd[b] + 1;
        }
        return new IsotonicCalibration(Arrays.copyOf(ux, distinct), fitted);
    }

    /** The calibrated probability of a score. */
    public double calibrate(double score) {
        if (score <= x[0]) {
            return y[0];
        }
        if (score >= x[x.length - 1]) {
            return y[y.length - 1];
        }
        int i = Arrays.binarySearch(x, score);
        if (i >= 0) {
            return y[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        double t = (score - x[lo]) / (x[hi] - x[lo]);
        return y[lo] + t * (y[hi] - y[lo]);
    }

    /**
     * NannyML's {@code needs_calibration}: false for one class only or scores that already separate the classes
     * (AUC above 0.999); otherwise calibrate on 90% of the rows and compare on the other 10%, over
     * {@code splits} stratified random splits (seeded), and true when the expected calibration error over all
     * held-out rows (equal-count bins) is lower after calibration than before.
     */
    public static boolean helps(double[] scores, double[] labels, double auc, long seed) {
        int n = scores.length;
        int positives = 0;
        for (double l : labels) {
            positives += l > 0.5 ? 1 : 0;
        }
        if (positives == 0 || positives == n || auc > 0.999) {
            return false;
        }
        int splits = 10;
        int bins = 10;
        int[] pos = new int[positives];
        int[] neg = new int[n - positives];
        for (int i = 0, p = 0, q = 0; i < n; i++) {
            if (labels[i] > 0.5) {
                pos[p++] = i;
            } else {
                neg[q++] = i;
            }
        }
        int testPos = Math.max(1, (int) Math.round(0.1 * pos.length));
        int testNeg = Math.max(1, (int) Math.round(0.1 * neg.length));
        if (testPos >= pos.length || testNeg >= neg.length) {
            return false; // too few rows of a class to hold some out and still fit
        }
        int testSize = testPos + testNeg;
        double[] heldTrue = new double[splits * testSize];
        double[] heldRaw = new double[splits * testSize];
        double[] heldCalibrated = new double[splits * testSize];
        SplittableRandom random = new SplittableRandom(seed);
        int h = 0;
        for (int s = 0; s < splits; s++) {
            shuffle(pos, random);
            shuffle(neg, random);
            int trainSize = n - testSize;
            double[] trainScores = new double[trainSize];
            double[] trainLabels = new double[trainSize];
            int t = 0;
            for (int k = testPos; k < pos.length; k++, t++) {
                trainScores[t] = scores[pos[k]];
                trainLabels[t] = labels[pos[k]];
            }
            for (int k = testNeg; k < neg.length; k++, t++) {
                trainScores[t] = scores[neg[k]];
                trainLabels[t] = labels[neg[k]];
            }
            IsotonicCalibration c = fit(trainScores, trainLabels);
            for (int k = 0; k < testPos; k++, h++) {
                heldTrue[h] = labels[pos[k]];
                heldRaw[h] = scores[pos[k]];
                heldCalibrated[h] = c.calibrate(scores[pos[k]]);
            }
            for (int k = 0; k < testNeg; k++, h++) {
                heldTrue[h] = labels[neg[k]];
                heldRaw[h] = scores[neg[k]];
                heldCalibrated[h] = c.calibrate(scores[neg[k]]);
            }
        }
        return expectedCalibrationError(heldTrue, heldRaw, bins)
                > expectedCalibrationError(heldTrue, heldCalibrated, bins);
    }

    /** ECE over equal-count bins of the rows sorted by probability (NannyML's bin edges: the last bin takes the rest). */
    static double expectedCalibrationError(double[] labels, double[] probabilities, int bins) {
        int n = probabilities.length;
        if (n <= 2 * bins) {
            bins = Math.max(1, n / 2);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(probabilities[a], probabilities[b]));
        int width = n / bins;
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            int from = b * width;
            int to = b == bins - 1 ? n : from + width;
            double p = 0, l = 0;
            for (int k = from; k < to; k++) {
                p += probabilities[order[k]];
                l += labels[order[k]];
            }
            ece += (double) (to - from) / n * Math.abs(p / (to - from) - l / (to - from));
        }
        return ece;
    }

    private static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
