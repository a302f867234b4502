package io.tenantml.reporting;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.tenantml.usage.Meter;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One tenant's model in the cost-against-value report: what it cost in the period beside what it returned. Costs are
 * exact decimals (strings) with 6 places, in the rate card's currency.
 */
@Schema(description = "A tenant's model: its cost in the period beside what it returned")
public record CostValueRow(
        @Schema(description = "Tenant id") String tenant,
        @Schema(description = "Model name") String model,

        @Schema(
                description = "Training: metered training.cpu_seconds and training.wall_seconds of the model's"
                        + " trainings, priced by the rate card of each day",
                type = SchemaType.STRING)
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal trainingCost,

        @Schema(
                description = "Serving: metered predict.records (online) and batch.records of the model",
                type = SchemaType.STRING)
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal servingCost,

        @Schema(
                description = "Storage: bytes of the model's registered artifacts held on each UTC day of the"
                        + " period (from each version's creation), priced as storage.byte_days per GB-day, each"
                        + " day rounded to 6 places",
                type = SchemaType.STRING)
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal storageCost,

        @Schema(description = "trainingCost + servingCost + storageCost", type = SchemaType.STRING)
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal totalCost,

        @Schema(description = "Currency of the costs (the rate card's); null before any rate card", nullable = true)
        String currency,

        @Schema(
                description = "Meters of the model's costs (training, serving, storage.byte_days for its artifacts)"
                        + " with usage no rate card in force priced, which so cost 0; sorted, empty when all was"
                        + " priced")
        List<Meter> unpricedMeters,

        @Schema(description = "Records scored online (/predict) in the period")
        long onlineRecords,

        @Schema(description = "Records scored by batch predictions in the period")
        long batchRecords,

        @Schema(
                description = "totalCost per 1,000 records served (online + batch), 6 places half up; null when"
                        + " none were served",
                type = SchemaType.STRING,
                nullable = true)
        @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal costPerThousandRecords,

        @Schema(
                description = "The version the value figures are of: the production alias's, else the latest"
                        + " accepted one; null when the model has no accepted version (anymore)",
                nullable = true)
        Integer version,

        @Schema(description = "The gate metric of that version, e.g. auc, accuracy, rmse", nullable = true)
        String metric,

        @Schema(description = "That version's score on its validation rows", nullable = true)
        Double validationScore,

        @Schema(description = "The baseline's score on the same rows (the registry's gate baseline)", nullable = true)
        Double baselineScore,

        @Schema(
                description = "validationScore over baselineScore in the metric's better direction (positive ="
                        + " better than the baseline): score - baseline, or baseline - score for losses",
                nullable = true)
        Double lift,

        @Schema(
                description = "Realised performance from feedback on the predictions of `version` made in the period"
                        + " (monitoring's realised performance, in the row's metric, with its interval and label"
                        + " count); null when none of them has a usable label, or without a version",
                nullable = true)
        RealisedFigure realisedPerformance) {}
