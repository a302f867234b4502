package io.tenantml.registry.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Where an alias (such as production) of a model points now. */
@Entity
@Table(name = "model_alias")
public class ModelAliasEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    public String model;
    public String alias;
    public int version;
    public Instant updatedAt;
    public String updatedBy;
}
