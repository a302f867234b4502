package io.tenantml.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.GateDecision;
import io.tenantml.model.ModelProvenance;
import io.tenantml.model.Objective;
import io.tenantml.model.TargetEncoding;
import io.tenantml.model.TrainingWarning;
import io.tenantml.model.XGBoostParams;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A registered model version as clients and other features see it.
 *
 * @param status   accepted (passed the gate) or rejected (kept for the record, with {@code reason})
 * @param aliases  the aliases that point at this version now
 * @param warnings the training's warnings about its rows, such as likely leakage (absent for old versions)
 * @param approval a person's acceptance of a version its gate rejected (absent when there is none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelVersionView(
        String model,
        int version,
        Instant createdAt,
        UUID trainingId,
        VersionStatus status,
        String reason,
        DatasetLineage dataset,
        Objective objective,
        XGBoostParams params,
        long seed,
        Map<String, Double> metrics,
        Map<String, Double> baseline,
        GateDecision gate,
        Map<String, Double> featureImportance,
        FeatureTransform transform,
        TargetEncoding target,
        Artifact artifact,
        ModelProvenance provenance,
        List<String> aliases,
        List<TrainingWarning> warnings,
        Approval approval) {

    /** Whether an alias may point at this version: it passed its gate, or a person approved it. */
    public boolean servable() {
        return status == VersionStatus.ACCEPTED || approval != null;
    }

    /** Who accepted a rejected version, when and why ({@code by} is "role:subject"). */
    public record Approval(String by, Instant at, String reason) {}

    /** The exact dataset version the model was trained on. */
    public record DatasetLineage(String name, int version, String sha256) {}

    /**
     * The stored model file.
     *
     * @param purged when and why the file was purged (the version can no longer be loaded); absent while kept
     */
    public record Artifact(
            String sha256,
            long bytes,
            String format,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            io.tenantml.shared.VersionPurge purged) {

        public Artifact(String sha256, long bytes, String format) {
            this(sha256, bytes, format, null);
        }
    }
}
