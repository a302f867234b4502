package io.tenantml.experts.internal;

import io.tenantml.experts.BuildEvaluation;
import io.tenantml.experts.BuildProvenance;
import io.tenantml.experts.BuildStatus;
import io.tenantml.experts.BuildTrigger;
import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One index build. Updates write only changed columns, so progress writes never undo another change. */
@Entity
@DynamicUpdate
@Table(name = "recommender_build")
public class BuildEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    public String recommender;
    public String dataset;
    public Integer datasetVersion;

    @Convert(converter = BuildStatusConverter.class)
    public BuildStatus status;

    @Convert(converter = BuildTriggerConverter.class)
    @Column(name = "trigger")
    public BuildTrigger trigger;

    public double progress;
    public String phase;
    public int attempts;
    public Integer rowsIndexed;
    public Integer rowsEmbedded;
    public String indexSha256;
    public Long indexBytes;
    public String rerankerSha256;

    @JdbcTypeCode(SqlTypes.JSON)
    public BuildEvaluation evaluation;

    @JdbcTypeCode(SqlTypes.JSON)
    public BuildProvenance provenance;

    public String gateReason;
    public String error;
    public boolean filesDeleted;
    public Instant createdAt;
    public Instant startedAt;
    public Instant finishedAt;
    public String requestedBy;
}
