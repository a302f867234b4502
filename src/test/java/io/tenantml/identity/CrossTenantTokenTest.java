package io.tenantml.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import io.tenantml.testing.KeycloakProfile;
import io.tenantml.testing.KeycloakTokens;
import io.tenantml.testing.KeycloakTokens.TenantIdentity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 5: globex's admin and integration tokens against every acme endpoint of tenants, API keys and
 * integrations, and against acme's object ids under globex's own path. Nothing answers 2xx, nothing of acme
 * changes. (The OpenAPI-driven suite can do the same with {@link KeycloakTokens}.)
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class CrossTenantTokenTest {

    record Call(String method, String path, Object body) {}

    @Test
    void shouldRefuseOtherTenantsTokensEverywhereAndChangeNothing() {
        TenantIdentity acme = KeycloakTokens.onboard(Api.uniqueTenant("acme"));
        TenantIdentity globex = KeycloakTokens.onboard(Api.uniqueTenant("globex"));
        String acmeAdmin = acme.adminToken();
        String keyId = Api.as(acmeAdmin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "etl", "role", "integration"))
                .post("/api/v1/tenants/" + acme.tenant() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String before = snapshot(acme, acmeAdmin);

        String a = "/api/v1/tenants/" + acme.tenant();
        String g = "/api/v1/tenants/" + globex.tenant();
        List<Call> calls = List.of(
                new Call("GET", a, null),
                new Call("DELETE", a, null),
                new Call("GET", "/api/v1/tenants", null),
                new Call("POST", "/api/v1/tenants", Map.of("id", Api.uniqueTenant("sneaky"), "name", "x")),
                new Call("GET", a + "/api-keys", null),
                new Call("POST", a + "/api-keys", Map.of("name", "x", "role", "admin")),
                new Call("DELETE", a + "/api-keys/" + keyId, null),
                new Call("DELETE", g + "/api-keys/" + keyId, null),
                new Call("GET", a + "/integrations", null),
                new Call("POST", a + "/integrations", Map.of("name", "sneaky")),
                new Call("DELETE", a + "/integrations/" + acme.integrationClientId(), null),
                new Call("DELETE", g + "/integrations/" + acme.integrationClientId(), null));

        for (String token : List.of(globex.adminToken(), globex.integrationToken())) {
            for (Call call : calls) {
                var request = Api.as(token).contentType(ContentType.JSON);
                if (call.body() != null) {
                    request.body(call.body());
                }
                int status = request.request(call.method(), call.path())
                        .then()
                        .extract()
                        .statusCode();
                assertThat(status).as(call + " with a globex token").isIn(403, 404);
            }
        }
        assertThat(snapshot(acme, acmeAdmin)).isEqualTo(before);
        // acme's integration still gets tokens: its client was not deleted through globex's path.
        Api.as(acme.integrationToken()).get(a).then().statusCode(200);
    }

    private static String snapshot(TenantIdentity tenant, String adminToken) {
        String base = "/api/v1/tenants/" + tenant.tenant();
        return Api.as(adminToken).get(base).then().statusCode(200).extract().asString()
                + Api.as(adminToken)
                        .get(base + "/api-keys")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString()
                + Api.as(adminToken)
                        .get(base + "/integrations")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
    }
}
