package io.tenantml.training.internal;

import io.tenantml.model.TrainingWarning;
import io.tenantml.tenancy.TenantOwnedEntity;
import io.tenantml.training.TrainingTrigger;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * What a training is about and what it produced; its lifecycle (state, attempts, progress, times, error) is the
 * run of the same id in the run ledger ({@code io.tenantml.scheduling}). Updates write only the changed columns.
 */
@Entity
@DynamicUpdate
@Table(name = "training")
public class TrainingEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    public String model;
    public String dataset;
    public Integer datasetVersion;

    @Convert(converter = TrainingTriggerConverter.class)
    public TrainingTrigger trigger;

    public Integer rounds;
    public Instant createdAt;
    public String metrics;
    public String baseline;
    public String gate;
    public Integer modelVersion;

    /** Whether the gate accepted the registered version; null until one is registered. */
    public Boolean accepted;

    public String requestedBy;

    /** What the checks on the training rows found (jsonb; empty when nothing). */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<TrainingWarning> warnings;
}
