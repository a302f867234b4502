package io.tenantml.serving;

import io.tenantml.shared.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One online prediction as the prediction log keeps it.
 *
 * @param featureNames the model's feature names, shared between records of one model (not copied)
 * @param features     the transformed features, aligned with {@code featureNames}; NaN is missing
 * @param output       what the caller got: score, label, probabilities
 */
public record LoggedPrediction(
        UUID id,
        TenantId tenant,
        String model,
        int version,
        Instant predictedAt,
        String[] featureNames,
        float[] features,
        Map<String, Object> output) {

    public LoggedPrediction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(predictedAt, "predictedAt");
        Objects.requireNonNull(featureNames, "featureNames");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(output, "output");
        if (featureNames.length != features.length) {
            throw new IllegalArgumentException(
                    "features has " + features.length + " values for " + featureNames.length + " names");
        }
    }
}
