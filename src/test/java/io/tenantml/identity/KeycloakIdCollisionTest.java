package io.tenantml.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import io.tenantml.testing.KeycloakProfile;
import io.tenantml.testing.KeycloakTokens;
import io.tenantml.testing.KeycloakTokens.TenantIdentity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, acceptance 4, against the real Keycloak: tenant {@code acme}'s integration {@code x-integration}
 * and tenant {@code acme-x}'s first integration are different clients. With {@code tenant-<tenant>-<name>}
 * client ids they were the same id, and {@code acme-x}'s onboarding failed with 409.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class KeycloakIdCollisionTest {

    @Test
    void shouldOnboardAcmeXAfterAcmeCreatedIntegrationXIntegration() {
        TenantIdentity acme = KeycloakTokens.onboard(Api.uniqueTenant("acme"));
        var issued = Api.as(acme.adminApiKey())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "x-integration"))
                .post("/api/v1/tenants/" + acme.tenant() + "/integrations")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String acmeClient = issued.getString("clientId");

        TenantIdentity acmeX = KeycloakTokens.onboard(acme.tenant() + "-x");

        assertThat(acmeX.integrationClientId()).isNotEqualTo(acmeClient);
        String acmeToken = KeycloakTokens.clientCredentials(acmeClient, issued.getString("clientSecret"));
        Api.as(acmeToken).get("/api/v1/tenants/" + acme.tenant()).then().statusCode(200);
        Api.as(acmeToken).get("/api/v1/tenants/" + acmeX.tenant()).then().statusCode(404);
        Api.as(acmeX.integrationToken())
                .get("/api/v1/tenants/" + acmeX.tenant())
                .then()
                .statusCode(200);
        Api.as(acmeX.integrationToken())
                .get("/api/v1/tenants/" + acme.tenant())
                .then()
                .statusCode(404);
        Api.as(acme.adminApiKey())
                .get("/api/v1/tenants/" + acme.tenant() + "/integrations")
                .then()
                .statusCode(200)
                .body("items.clientId", hasItem(acmeClient))
                .body("items.clientId", not(hasItem(acmeX.integrationClientId())));
        // Neither tenant can delete the other's client by its id.
        Api.as(acme.adminApiKey())
                .delete("/api/v1/tenants/" + acme.tenant() + "/integrations/" + acmeX.integrationClientId())
                .then()
                .statusCode(404);

        // Offboarding acme-x removes its objects only: acme's client (whose id shares its prefix) stays.
        Api.asOperator().delete("/api/v1/tenants/" + acmeX.tenant()).then().statusCode(204);
        String again = KeycloakTokens.clientCredentials(acmeClient, issued.getString("clientSecret"));
        Api.as(again).get("/api/v1/tenants/" + acme.tenant()).then().statusCode(200);
        Api.as(acme.integrationToken())
                .get("/api/v1/tenants/" + acme.tenant())
                .then()
                .statusCode(200);
    }
}
