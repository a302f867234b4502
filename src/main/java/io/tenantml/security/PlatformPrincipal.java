package io.tenantml.security;

import io.tenantml.shared.Role;
import io.tenantml.shared.TenantId;
import java.util.Objects;
import java.util.Optional;

/**
 * The verified caller. {@code tenant} is empty only for operators; it is the sole source of a
 * non-operator's tenant (never a path, header or body).
 *
 * @param subject    a stable, non-secret identifier for audit (key id, token subject)
 * @param credential "api-key", "bootstrap" or "oidc"
 */
public record PlatformPrincipal(Role role, Optional<TenantId> tenant, String subject, String credential) {

    public PlatformPrincipal {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(subject, "subject");
        if (role != Role.OPERATOR && tenant.isEmpty()) {
            throw new IllegalArgumentException("a " + role.wireName() + " principal needs a tenant");
        }
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }
}
