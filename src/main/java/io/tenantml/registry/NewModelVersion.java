package io.tenantml.registry;

import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.GateDecision;
import io.tenantml.model.ModelProvenance;
import io.tenantml.model.Objective;
import io.tenantml.model.TargetEncoding;
import io.tenantml.model.TrainingWarning;
import io.tenantml.model.XGBoostParams;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a finished training hands to the registry. {@code trainingId} is the idempotency key: registering
 * the same training twice returns the first version.
 *
 * @param file the UBJSON model file (see {@link ModelArtifact#write})
 */
public record NewModelVersion(
        String model,
        UUID trainingId,
        boolean accepted,
        String reason,
        ModelVersionView.DatasetLineage dataset,
        Objective objective,
        XGBoostParams params,
        long seed,
        Map<String, Double> metrics,
        Map<String, Double> baseline,
        GateDecision gate,
        Map<String, Double> featureImportance,
        FeatureTransform transform,
        TargetEncoding target,
        ModelProvenance provenance,
        byte[] file,
        List<TrainingWarning> warnings) {

    public NewModelVersion {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(trainingId, "trainingId");
        Objects.requireNonNull(file, "file");
    }
}
