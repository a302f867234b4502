package io.tenantml.experts.internal;

import io.tenantml.experts.BuildEvaluation;
import io.tenantml.experts.BuildPhase;
import io.tenantml.experts.BuildProvenance;
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

/**
 * What an index build is about and what it produced; its lifecycle (state, attempts, progress, times, error) is
 * the run of the same id in the run ledger ({@code io.tenantml.scheduling}, kind {@code INDEX_BUILD}). Updates
 * write only changed columns, so phase writes never undo another change.
 */
@Entity
@DynamicUpdate
@Table(name = "recommender_build")
public class BuildEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    public String recommender;
    public String dataset;
    public Integer datasetVersion;

    @Convert(converter = BuildTriggerConverter.class)
    @Column(name = "trigger")
    public BuildTrigger trigger;

    @Convert(converter = BuildPhaseConverter.class)
    public BuildPhase phase;

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

    /** Whether the gate made this build's generation current; null until the build produced one. */
    public Boolean accepted;

    public boolean filesDeleted;
    public Instant createdAt;
    public String requestedBy;
}
