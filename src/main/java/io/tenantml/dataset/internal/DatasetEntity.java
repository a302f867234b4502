package io.tenantml.dataset.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "dataset")
public class DatasetEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    public String description;

    /** JSON of the {@link io.tenantml.dataset.DatasetSchema}; null until declared or inferred. */
    @Column(name = "schema_json")
    public String schemaJson;

    public String schemaSource;

    @Column(name = "policy_json", nullable = false)
    public String policyJson;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    /** How many of the newest versions keep their rows; null keeps every version's. */
    public Integer keepVersions;
}
