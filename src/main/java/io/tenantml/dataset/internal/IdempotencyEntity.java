package io.tenantml.dataset.internal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.TenantId;

import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "dataset_idempotency")
public class IdempotencyEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(nullable = false)
    public String idempotencyKey;

    @Column(nullable = false)
    public String datasetName;

    @Column(name = "request_sha256", nullable = false)
    public String requestSha256;

    /** Null while the first request with this key is still running. */
    public UUID versionId;

    @Column(nullable = false)
    public Instant createdAt;
}
