package io.tenantml.dataset.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "dataset_idempotency")
public class IdempotencyEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String idempotencyKey;

    @Column(nullable = false)
    public String datasetName;

    @Column(name = "request_sha256", nullable = false)
    public String requestSha256;

    /** Null while the first request with this key is still running. */
    public UUID versionId;

    /** True when the first request made no version: {@link #versionId} is the latest version it was identical to. */
    @Column(nullable = false)
    public boolean unchanged;

    @Column(nullable = false)
    public Instant createdAt;
}
