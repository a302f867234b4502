package io.tenantml.monitoring;

import io.tenantml.model.Metrics;
import io.tenantml.model.Objective;
import java.time.Instant;
import java.util.Map;

/**
 * How good a model version was on its traffic in [{@code from}, {@code to}): realised from feedback labels,
 * and for classifiers estimated from the logged scores alone (CBPE), side by side.
 *
 * @param scoredPredictions logged, scored predictions in the range (a sampled log holds a share of traffic)
 * @param realised          the objective's metrics on the predictions that have a usable label
 * @param estimated         CBPE over every scored prediction in the range; null for regression and for
 *                          versions whose reference has no validation rows row by row
 * @param reference         the validation metrics with their intervals, as trained
 */
public record PerformanceAssessment(
        String model,
        int version,
        Objective objective,
        Instant from,
        Instant to,
        long scoredPredictions,
        Realised realised,
        EstimatedPerformance estimated,
        Map<String, ReferenceProfile.MetricEstimate> reference) {

    /**
     * @param labels         predictions in the range with a feedback label the model's metrics can use
     * @param unusableLabels feedback in the range naming no class (or value) of this model, left out
     * @param metrics        metric name to value with its interval; empty without labels
     * @param intervalMethod how the intervals were computed
     */
    public record Realised(
            long labels, long unusableLabels, Map<String, Metrics.Interval> metrics, String intervalMethod) {

        public Realised {
            metrics = Map.copyOf(metrics);
        }
    }
}
