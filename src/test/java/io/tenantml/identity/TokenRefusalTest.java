package io.tenantml.identity;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tenantml.testing.Api;
import io.tenantml.testing.KeycloakProfile;
import io.tenantml.testing.KeycloakServer;
import io.tenantml.testing.KeycloakTokens;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 2, against the real server. Each forged token differs from an accepted one (the control case)
 * in exactly one respect, and is signed with a key the realm publishes unless the signature is the point.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class TokenRefusalTest {

    static String tenant;

    @BeforeEach
    void createTenantOnce() {
        if (tenant == null) {
            tenant = Api.uniqueTenant("refusal");
            Api.createTenant(tenant);
        }
    }

    private static void assertUnauthenticated(String token) {
        Api.as(token)
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void shouldAcceptForgedTokenWhenEverythingIsRight() {
        Api.as(KeycloakTokens.forge(KeycloakTokens.validClaims(tenant, "tenant-admin")))
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(200)
                .body("id", equalTo(tenant));
    }

    @Test
    void shouldRefuseATokenIssuedBeforeItsTenantWasCreatedAsOneOfAnEarlierTenantOfThatId() {
        Instant created = Instant.parse(Api.asOperator()
                .get("/api/v1/tenants/" + tenant)
                .then()
                .extract()
                .path("createdAt"));
        Map<String, Object> claims = KeycloakTokens.validClaims(tenant, "tenant-admin");
        claims.put("iat", created.getEpochSecond() - 60);
        Api.as(KeycloakTokens.forge(claims))
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("detail", containsString("issued before tenant '" + tenant + "' was created"));
        // within the allowed clock skew (iat is floored to the second) it is the tenant's own
        claims.put("iat", created.getEpochSecond() - 1);
        Api.as(KeycloakTokens.forge(claims))
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(200);
    }

    @Test
    void shouldRefuseExpiredToken() {
        Map<String, Object> claims = KeycloakTokens.validClaims(tenant, "tenant-admin");
        long past = Instant.now().minusSeconds(3600).getEpochSecond();
        claims.put("iat", past - 300);
        claims.put("exp", past);
        assertUnauthenticated(KeycloakTokens.forge(claims));
    }

    @Test
    void shouldRefuseTokenForAnotherAudience() {
        Map<String, Object> claims = KeycloakTokens.validClaims(tenant, "tenant-admin");
        claims.put("aud", "some-other-api");
        assertUnauthenticated(KeycloakTokens.forge(claims));
    }

    @Test
    void shouldRefuseTokenFromAnotherIssuer() {
        Map<String, Object> claims = KeycloakTokens.validClaims(tenant, "tenant-admin");
        claims.put("iss", KeycloakServer.url() + "/realms/master");
        assertUnauthenticated(KeycloakTokens.forge(claims));
    }

    @Test
    void shouldRefuseTokenSignedByForeignKeyEvenWithTheRealmKeyId() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey foreign = generator.generateKeyPair().getPrivate();
        Map<String, Object> claims = KeycloakTokens.validClaims(tenant, "tenant-admin");
        assertUnauthenticated(KeycloakTokens.sign(claims, foreign, KeycloakServer.signingKeyId()));
        assertUnauthenticated(KeycloakTokens.sign(claims, foreign, "unknown-key"));
    }

    @Test
    void shouldRefuseRealTokenWhoseSignatureWasTamperedWith() {
        String real = KeycloakTokens.operator();
        String[] parts = real.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertUnauthenticated(tampered);
    }

    @Test
    void shouldForbidTenantRoleWithoutTenantClaim() {
        Api.as(KeycloakTokens.forge(KeycloakTokens.validClaims(null, "tenant-admin")))
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("tenant_id"));
        Api.as(KeycloakTokens.forge(KeycloakTokens.validClaims(null, "tenant-integration")))
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(403);
    }

    @Test
    void shouldForbidTokenWithoutPlatformRole() {
        Api.as(KeycloakTokens.forge(KeycloakTokens.validClaims(tenant, "offline_access")))
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(403);
    }

    @Test
    void shouldIgnoreTenantClaimOfAnotherTenantOnThisPath() {
        Api.as(KeycloakTokens.forge(KeycloakTokens.validClaims("globex-elsewhere", "tenant-admin")))
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(404);
    }
}
