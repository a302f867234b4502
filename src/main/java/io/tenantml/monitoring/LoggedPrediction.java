package io.tenantml.monitoring;

import io.tenantml.feature.ValueKind;
import io.tenantml.shared.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One online prediction as the prediction log keeps it: no feature names (they are the model version's,
 * see its transform), the raw values' kinds beside the encoded values, and the model's raw output.
 *
 * @param kinds    what each input's raw value was, aligned with the version's transform inputs
 * @param features the encoded features, aligned with the transform's feature names; NaN is missing
 * @param outputs  the model's output: the score for regression and binary (the positive class's
 *                 probability), the class probabilities in the target's class order for multiclass; empty
 *                 for a record that was refused (one of its kinds is {@link ValueKind#REFUSED}) and not scored
 */
public record LoggedPrediction(
        UUID id,
        TenantId tenant,
        String model,
        int version,
        Instant predictedAt,
        ValueKind[] kinds,
        float[] features,
        float[] outputs) {

    public LoggedPrediction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(predictedAt, "predictedAt");
        Objects.requireNonNull(kinds, "kinds");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(outputs, "outputs");
        for (int i = 0; i < kinds.length; i++) {
            Objects.requireNonNull(kinds[i], "kinds[" + i + "]");
        }
    }

    /** Whether the record was scored (a refused record is logged for its kinds only). */
    public boolean scored() {
        return outputs.length > 0;
    }
}
