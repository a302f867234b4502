package io.tenantml.identity.internal;

import io.tenantml.security.CredentialVerifier.Verification;
import io.tenantml.security.PlatformPrincipal;
import io.tenantml.shared.Role;
import io.tenantml.shared.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Turns the claims of a verified access token into a platform principal. Realm roles map to platform roles
 * (the strongest wins); the tenant comes only from the {@code tenant_id} claim, which Keycloak writes from an
 * admin-only user attribute or a per-client hard-coded mapper, never from anything the caller chose.
 */
final class TokenPrincipals {

    static final String OPERATOR_ROLE = "platform-operator";
    static final String ADMIN_ROLE = "tenant-admin";
    static final String INTEGRATION_ROLE = "tenant-integration";

    private TokenPrincipals() {}

    /** @param issuedAt the token's {@code iat}, empty when it has none */
    static Verification principal(
            String subject, Collection<String> realmRoles, Object tenantClaim, Optional<Instant> issuedAt) {
        if (subject == null || subject.isBlank()) {
            return Verification.rejected("the access token has no subject");
        }
        String who = "oidc:" + subject;
        if (realmRoles.contains(OPERATOR_ROLE)) {
            return Verification.verified(new PlatformPrincipal(Role.OPERATOR, Optional.empty(), who, "oidc", issuedAt));
        }
        Role role = realmRoles.contains(ADMIN_ROLE)
                ? Role.ADMIN
                : realmRoles.contains(INTEGRATION_ROLE) ? Role.INTEGRATION : null;
        if (role == null) {
            return Verification.forbidden("The access token carries none of the roles " + OPERATOR_ROLE + ", "
                    + ADMIN_ROLE + ", " + INTEGRATION_ROLE);
        }
        if (!(tenantClaim instanceof String tenant) || !TenantId.isValid(tenant)) {
            return Verification.forbidden("The access token has no valid tenant_id claim, so it belongs to no tenant");
        }
        return Verification.verified(
                new PlatformPrincipal(role, Optional.of(new TenantId(tenant)), who, "oidc", issuedAt));
    }
}
