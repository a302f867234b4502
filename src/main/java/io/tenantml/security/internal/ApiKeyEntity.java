package io.tenantml.security.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "api_key")
public class ApiKeyEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String role;

    /** The first characters of the key, kept in clear so people can tell keys apart. */
    @Column(nullable = false)
    public String prefix;

    /** HMAC-SHA-256 of the whole key under the server secret; the key itself is never stored. */
    @Column(name = "key_hash", nullable = false)
    public byte[] keyHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Null: the key has no end. */
    @Column(name = "expires_at")
    public Instant expiresAt;
}
