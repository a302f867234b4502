package io.tenantml.monitoring;

import java.util.List;
import java.util.Map;

/**
 * A classifier's performance on a window estimated from its logged scores alone (CBPE, see {@link Cbpe}).
 *
 * @param method            how it was estimated
 * @param rows              scored predictions the estimate is over
 * @param calibratedOutputs the outputs whose scores were calibrated (isotonic) before estimating; the others
 *                          were already calibrated on the reference (calibration did not lower their error)
 * @param metrics           metric name to estimate (binary: auc, accuracy, f1; multiclass: accuracy)
 * @param confusion         binary: the expected confusion matrix at the model's threshold; null for multiclass
 */
public record EstimatedPerformance(
        String method,
        long rows,
        List<String> calibratedOutputs,
        Map<String, EstimatedMetric> metrics,
        ExpectedConfusion confusion) {

    public EstimatedPerformance {
        calibratedOutputs = List.copyOf(calibratedOutputs);
        metrics = Map.copyOf(metrics);
    }

    /**
     * One estimated metric with its estimation interval.
     *
     * @param samplingError the metric's standard error at this many rows, from the reference (NannyML's
     *                      sampling error); null when the reference cannot give one (one class only),
     *                      and the interval is then [0, 1]
     * @param lower         value − 3 sampling errors, clipped to the metric's range
     * @param upper         value + 3 sampling errors, clipped to the metric's range
     */
    public record EstimatedMetric(double value, Double samplingError, double lower, double upper) {}

    /** Expected counts (sums of calibrated probabilities) at the model's threshold. */
    public record ExpectedConfusion(
            double truePositives, double falsePositives, double trueNegatives, double falseNegatives) {}
}
