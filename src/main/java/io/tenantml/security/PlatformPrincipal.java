package io.tenantml.security;

import io.tenantml.shared.Role;
import io.tenantml.shared.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The verified caller. {@code tenant} is empty only for operators; it is the sole source of a
 * non-operator's tenant (never a path, header or body).
 *
 * @param subject    a stable, non-secret identifier for audit (key id, token subject)
 * @param credential "api-key", "bootstrap" or "oidc"
 * @param issuedAt   when the credential was issued, if it says (an access token's {@code iat}): a token issued
 *                   before its tenant was created belongs to an earlier tenant of that id
 */
public record PlatformPrincipal(
        Role role, Optional<TenantId> tenant, String subject, String credential, Optional<Instant> issuedAt) {

    public PlatformPrincipal(Role role, Optional<TenantId> tenant, String subject, String credential) {
        this(role, tenant, subject, credential, Optional.empty());
    }

    public PlatformPrincipal {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (role != Role.OPERATOR && tenant.isEmpty()) {
            throw new IllegalArgumentException("a " + role.wireName() + " principal needs a tenant");
        }
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }
}
