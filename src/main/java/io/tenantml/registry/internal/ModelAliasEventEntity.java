package io.tenantml.registry.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One alias move (or deletion: toVersion null), append-only. */
@Entity
@Table(name = "model_alias_event")
public class ModelAliasEventEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    public String model;
    public String alias;
    public Integer fromVersion;
    public Integer toVersion;
    public String actor;
    public Instant at;
    public String reason;
}
