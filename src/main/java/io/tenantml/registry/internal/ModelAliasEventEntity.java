package io.tenantml.registry.internal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.TenantId;

import java.time.Instant;
import java.util.UUID;

/** One alias move (or deletion: toVersion null), append-only. */
@Entity
@Table(name = "model_alias_event")
public class ModelAliasEventEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    public String model;
    public String alias;
    public Integer fromVersion;
    public Integer toVersion;
    public String actor;
    public Instant at;
    public String reason;
}
