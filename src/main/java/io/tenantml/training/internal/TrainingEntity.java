package io.tenantml.training.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import io.tenantml.training.TrainingWarning;
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
 * One training run and its outcome. Updates write only the changed columns: the runner's progress writes
 * must never overwrite a cancellation that a request set on the same row in between.
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
    public String status;
    public String trigger;
    public double progress;
    public Integer rounds;
    public int attempts;
    public boolean cancelRequested;
    public Instant createdAt;
    public Instant startedAt;
    public Instant finishedAt;
    public String metrics;
    public String baseline;
    public String gate;
    public Integer modelVersion;
    public String error;
    public String requestedBy;

    /** What the checks on the training rows found (jsonb; empty when nothing). */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<TrainingWarning> warnings;
}
