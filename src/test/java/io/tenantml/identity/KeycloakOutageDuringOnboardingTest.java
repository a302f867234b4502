package io.tenantml.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import io.tenantml.testing.KeycloakProfile;
import io.tenantml.testing.KeycloakServer;
import io.tenantml.testing.KeycloakTokens;
import io.tenantml.testing.KeycloakTokens.TenantIdentity;
import io.tenantml.testing.Pages;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 4: Keycloak goes down (SIGTERM to the server) after the organization was created and before the
 * integration client. The onboarding fails with 503 and leaves no platform tenant; the organization it left
 * in Keycloak is debris that the retried onboarding removes before it completes.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class KeycloakOutageDuringOnboardingTest {

    @Test
    void shouldLeaveNoTenantWhenKeycloakDiesMidOnboardingAndCompleteOnRetry() {
        String tenant = Api.uniqueTenant("outage");
        KeycloakKillSwitch.arm(tenant, "organization");
        try {
            Api.asOperator()
                    .contentType(ContentType.JSON)
                    .body(Map.of("id", tenant, "name", "Outage Inc", "admin", Map.of("username", tenant + "-admin")))
                    .post("/api/v1/tenants")
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json");
            Api.asOperator().get("/api/v1/tenants/" + tenant).then().statusCode(404);
            // Nothing else of the tenant was written: API key creation etc. are in the rolled-back transaction.
            assertThat(Pages.walk(Api.asOperator(), "/api/v1/tenants", 1000))
                    .extracting(t -> t.get("id"))
                    .doesNotContain(tenant);
        } finally {
            KeycloakServer.ensureStarted();
        }
        // What the interrupted attempt left in Keycloak: the organization, and nothing after it.
        assertThat(KeycloakServer.admin("GET", "/organizations?exact=true&search=" + tenant, null))
                .hasSize(1);
        assertThat(KeycloakServer.admin("GET", "/clients?clientId=tenant." + tenant + ".integration", null))
                .isEmpty();

        TenantIdentity retried = KeycloakTokens.onboard(tenant);
        Api.as(retried.integrationToken())
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(200);
        Api.as(retried.adminToken())
                .get("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(200);
        assertThat(KeycloakServer.admin("GET", "/organizations?exact=true&search=" + tenant, null))
                .hasSize(1);
        assertThat(KeycloakServer.admin("GET", "/clients?clientId=tenant." + tenant + ".integration", null))
                .hasSize(1);
    }
}
