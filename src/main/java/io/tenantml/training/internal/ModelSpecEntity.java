package io.tenantml.training.internal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.TenantId;

import java.time.Instant;
import java.util.UUID;

/** A tenant's model spec, stored as the JSON of {@link io.tenantml.training.ModelSpec}. */
@Entity
@Table(name = "model_spec")
public class ModelSpecEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    public String name;
    public String spec;
    public Instant createdAt;
    public Instant updatedAt;
    public String updatedBy;
}
