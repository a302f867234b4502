package io.tenantml.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A prediction answered from the latest finished batch of a model, with where and when it came from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PrecomputedPrediction(
        String model,
        String key,
        UUID batchId,
        int version,
        Instant computedAt,
        double score,
        String label,
        Map<String, Double> probabilities) {}
