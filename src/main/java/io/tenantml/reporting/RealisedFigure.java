package io.tenantml.reporting;

import io.tenantml.model.Metrics;
import io.tenantml.monitoring.PerformanceAssessment;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Realised performance of a cost-against-value row's version in the report's period: one metric of monitoring's
 * realised performance ({@code monitoring.RealisedPerformance}: feedback labels joined to the predictions they answer,
 * the training's own metrics, a seeded percentile bootstrap interval), the one the row's lift is measured in, so the
 * two can be read side by side.
 */
@Schema(description = "Realised performance from feedback on the row's version's predictions made in the period")
public record RealisedFigure(
        @Schema(
                description = "The metric: the row's gate metric (the objective's default gate metric when the version"
                        + " has no gate decision)")
        String metric,

        @Schema(
                description = "The metric on the labelled predictions; null when it is undefined on them (e.g. auc over"
                        + " labels of one class)",
                nullable = true)
        Double value,

        @Schema(description = "Lower end of the confidence interval; null with value", nullable = true)
        Double lower,

        @Schema(description = "Upper end of the confidence interval; null with value", nullable = true)
        Double upper,

        @Schema(description = "Level of the interval, e.g. 0.95")
        double confidence,

        @Schema(description = "Predictions of the version made in the period that have a usable feedback label")
        long labels,

        @Schema(description = "Feedback on those predictions naming no class (or value) of the model, left out")
        long unusableLabels,

        @Schema(description = "How the interval was computed (monitoring's statement)")
        String intervalMethod) {

    /**
     * The figure of {@code metric} in monitoring's realised performance; null when no prediction of the period has a
     * usable label (nothing realised to state).
     */
    static RealisedFigure of(String metric, double confidence, PerformanceAssessment.Realised realised) {
        if (realised == null || realised.labels() == 0) {
            return null;
        }
        // Map.copyOf refuses to look up null
        Metrics.Interval interval = metric == null ? null : realised.metrics().get(metric);
        return new RealisedFigure(
                metric,
                interval == null ? null : interval.value(),
                interval == null ? null : interval.lower(),
                interval == null ? null : interval.upper(),
                interval == null ? confidence : interval.confidence(),
                realised.labels(),
                realised.unusableLabels(),
                realised.intervalMethod());
    }
}
