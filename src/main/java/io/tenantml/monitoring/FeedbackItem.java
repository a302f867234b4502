package io.tenantml.monitoring;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/**
 * What actually happened for one prediction: a {@code label} (classification) or a {@code value}
 * (regression), and when it was observed (default: when it is received).
 */
public record FeedbackItem(
        @NotNull UUID predictionId,
        @Size(min = 1, max = 200) String label,
        Double value,
        Instant observedAt) {}
