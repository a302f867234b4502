package io.tenantml.webhooks.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpointEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String url;

    /** Wire names of the event types delivered here. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> events;

    /**
     * The Standard Webhooks secret as stored: encrypted by {@link WebhookSecrets} ({@code v1:...}), never in clear;
     * shown only in the answer that created the endpoint.
     */
    @Column(nullable = false)
    public String secret;

    /**
     * The secret a rotation replaced, while it still signs beside {@link #secret} (until
     * {@link #previousSecretExpiresAt}); encrypted like it, under associated data of its own that names the expiry
     * ({@link WebhookSecrets#sealPrevious}). Null outside an overlap; set and cleared with the expiry.
     */
    @Column(name = "previous_secret")
    public String previousSecret;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "disabled_reason")
    public String disabledReason;

    @Column(name = "consecutive_failures", nullable = false)
    public int consecutiveFailures;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;
}
