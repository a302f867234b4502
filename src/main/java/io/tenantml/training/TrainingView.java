package io.tenantml.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A training run.
 *
 * @param status   queued, running, succeeded, rejected (by the gate; the version is still registered),
 *                 failed, cancelled, or skipped (a scheduled run with no new data)
 * @param progress 0..1, boosting rounds done over the maximum
 * @param warnings what the checks on the training rows found, such as likely leakage (absent until it ran)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingView(
        UUID id,
        String model,
        String dataset,
        Integer datasetVersion,
        String status,
        String trigger,
        double progress,
        Integer rounds,
        int attempts,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Map<String, Double> metrics,
        Map<String, Double> baseline,
        Integer modelVersion,
        GateDecision gate,
        String error,
        List<TrainingWarning> warnings) {}
