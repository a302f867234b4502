package io.tenantml.registry.internal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.TenantId;

import java.time.Instant;
import java.util.UUID;

/** Where an alias (such as production) of a model points now. */
@Entity
@Table(name = "model_alias")
public class ModelAliasEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    public String model;
    public String alias;
    public int version;
    public Instant updatedAt;
    public String updatedBy;
}
