package io.tenantml.training.internal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.TenantId;

import java.time.Instant;
import java.util.UUID;

/**
 * One training run and its outcome. Updates write only the changed columns: the runner's progress writes
 * must never overwrite a cancellation that a request set on the same row in between.
 */
@Entity
@DynamicUpdate
@Table(name = "training")
public class TrainingEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

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
}
