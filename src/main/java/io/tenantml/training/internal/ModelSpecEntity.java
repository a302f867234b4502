package io.tenantml.training.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A tenant's model spec, stored as the JSON of {@link io.tenantml.training.ModelSpec}. */
@Entity
@Table(name = "model_spec")
public class ModelSpecEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    public String name;
    public String spec;
    public Instant createdAt;
    public Instant updatedAt;
    public String updatedBy;
}
