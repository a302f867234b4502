package io.tenantml.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantml.model.GateDecision;
import io.tenantml.model.TrainingWarning;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A training run.
 *
 * @param status    see {@link TrainingStatus}
 * @param progress  0..1, boosting rounds done over the maximum
 * @param attempts  2 when its node died during the first and it was redone
 * @param errorCode why it failed, was cancelled or skipped, as a stable code
 * @param error     the same for people; never exception text (an unexpected failure names an incident id)
 * @param warnings  what the checks on the training rows found, such as likely leakage (absent until it ran)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingView(
        UUID id,
        String model,
        String dataset,
        Integer datasetVersion,
        TrainingStatus status,
        TrainingTrigger trigger,
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
        String errorCode,
        String error,
        List<TrainingWarning> warnings) {}
