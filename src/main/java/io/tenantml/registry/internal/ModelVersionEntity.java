package io.tenantml.registry.internal;

import io.tenantml.model.TrainingWarning;
import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One immutable model version; JSON columns hold the records of the registry's public surface. */
@Entity
@Table(name = "model_version")
public class ModelVersionEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    public String model;
    public int version;
    public UUID trainingId;
    public String status;
    public String reason;
    public Instant createdAt;
    public String dataset;
    public int datasetVersion;
    public String datasetSha256;
    public String objective;
    public String params;
    public long seed;
    public String metrics;
    public String baseline;
    public String gate;
    public String featureImportance;
    public String transform;
    public String target;
    public String artifactKey;
    public String artifactSha256;
    public long artifactBytes;
    public String artifactFormat;
    public String provenance;

    /** A person's acceptance of a version its gate rejected: who ("role:subject"), when, why; null when none. */
    public String approvedBy;

    public Instant approvedAt;
    public String approvalReason;

    /** The training's warnings about its rows (likely leakage), jsonb; null for versions from before them. */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<TrainingWarning> warnings;

    /** When the version's model file was purged; null while it is kept. */
    public java.time.Instant purgedAt;

    /** Who purged it: the admin ("role:subject") or {@code system:model-retention}. */
    public String purgedBy;

    /** Wire name of the {@link io.tenantml.shared.PurgeReason}. */
    public String purgeReason;
}
