package io.tenantml.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.security.CredentialVerifier.Forbidden;
import io.tenantml.security.CredentialVerifier.Rejected;
import io.tenantml.security.CredentialVerifier.Verified;
import io.tenantml.shared.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenPrincipalsTest {

    private static final Optional<Instant> NOT_SAID = Optional.empty();

    @Test
    void shouldMapRealmRolesToPlatformRoles() {
        assertThat(role(List.of("tenant-integration"), "acme")).isEqualTo(Role.INTEGRATION);
        assertThat(role(List.of("tenant-admin"), "acme")).isEqualTo(Role.ADMIN);
        assertThat(role(List.of("tenant-integration", "tenant-admin"), "acme")).isEqualTo(Role.ADMIN);
        assertThat(role(List.of("platform-operator"), null)).isEqualTo(Role.OPERATOR);
    }

    @Test
    void shouldTakeTenantOnlyFromTheClaimAndNeverGiveOperatorsOne() {
        Verified admin = (Verified) TokenPrincipals.principal("s", List.of("tenant-admin"), "acme", NOT_SAID);
        assertThat(admin.principal().tenant())
                .hasValueSatisfying(t -> assertThat(t.value()).isEqualTo("acme"));
        Verified operator = (Verified) TokenPrincipals.principal("s", List.of("platform-operator"), "acme", NOT_SAID);
        assertThat(operator.principal().tenant()).isEmpty();
    }

    @Test
    void shouldForbidTenantRolesWithoutValidTenantClaim() {
        assertThat(TokenPrincipals.principal("s", List.of("tenant-admin"), null, NOT_SAID))
                .isInstanceOf(Forbidden.class);
        assertThat(TokenPrincipals.principal("s", List.of("tenant-admin"), "Not A Tenant", NOT_SAID))
                .isInstanceOf(Forbidden.class);
        assertThat(TokenPrincipals.principal("s", List.of("tenant-admin"), List.of("acme"), NOT_SAID))
                .isInstanceOf(Forbidden.class);
        assertThat(TokenPrincipals.principal("s", List.of("offline_access"), "acme", NOT_SAID))
                .isInstanceOf(Forbidden.class);
    }

    @Test
    void shouldRejectTokenWithoutSubject() {
        assertThat(TokenPrincipals.principal(null, List.of("tenant-admin"), "acme", NOT_SAID))
                .isInstanceOf(Rejected.class);
    }

    private static Role role(List<String> roles, String tenant) {
        return ((Verified) TokenPrincipals.principal("subject", roles, tenant, NOT_SAID))
                .principal()
                .role();
    }
}
