package io.tenantml.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.KeycloakProfile;
import io.tenantml.testing.KeycloakServer;
import io.tenantml.testing.KeycloakTokens;
import io.tenantml.testing.KeycloakTokens.TenantIdentity;
import io.tenantml.testing.Pages;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keycloak tokens against the real server: the integration and admin of one tenant, on their tenant and another. */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class IdentityResourceTest {

    static TenantIdentity acme;
    static TenantIdentity globex;

    // Not @BeforeAll: REST Assured points at the application only once the test instance exists.
    @BeforeEach
    void onboardTwoTenantsOnce() {
        if (acme == null) {
            acme = KeycloakTokens.onboard(Api.uniqueTenant("acme"));
            globex = KeycloakTokens.onboard(Api.uniqueTenant("globex"));
        }
    }

    /** One call of the API: path with %s for the tenant, a body or null, and what its own tenant answers. */
    record Call(String method, String path, String contentType, String body, int ownStatus) {}

    /**
     * Acceptance 1, integration half: what an integration does on its own tenant (data in, reads); the
     * prediction, which needs a trained model, is in the end-to-end test below.
     */
    static final Call[] INTEGRATION_CALLS = {
        new Call("GET", "/api/v1/tenants/%s", null, null, 200),
        new Call(
                "POST",
                "/api/v1/tenants/%s/datasets/readings/versions",
                "text/csv",
                "id,x,label\n1,0.5,a\n2,1.5,b\n3,2.5,a\n4,3.5,b\n",
                201),
        new Call("GET", "/api/v1/tenants/%s/datasets", null, null, 200),
        new Call("GET", "/api/v1/tenants/%s/models", null, null, 200),
    };

    @Test
    void shouldLetIntegrationTokenActOnItsTenantAndNowhereElse() {
        String token = acme.integrationToken();
        // Only admins define datasets (issue 15): the integration adds versions to one its admin defined.
        Fixtures.uploadVersion(
                acme.tenant(), acme.adminApiKey(), "readings", "text/csv", "id,x,label\n1,0.5,a\n2,1.5,b\n".getBytes());
        for (Call call : INTEGRATION_CALLS) {
            for (String tenant : new String[] {acme.tenant(), globex.tenant()}) {
                var request = Api.as(token);
                if (call.body() != null) {
                    request.contentType(call.contentType()).body(call.body());
                }
                var response = request.request(call.method(), call.path().formatted(tenant))
                        .then();
                if (tenant.equals(acme.tenant())) {
                    response.statusCode(call.ownStatus());
                } else {
                    response.statusCode(anyOf(is(403), is(404)));
                }
            }
        }
        Api.as(acme.adminApiKey())
                .get("/api/v1/tenants/" + globex.tenant() + "/datasets")
                .then()
                .statusCode(404);
        Api.asOperator()
                .get("/api/v1/tenants/" + globex.tenant() + "/datasets")
                .then()
                .statusCode(200)
                .body("items.name", not(hasItem("readings")));
        // An integration administers nothing, not even its own tenant.
        Api.as(token)
                .get("/api/v1/tenants/" + acme.tenant() + "/api-keys")
                .then()
                .statusCode(403);
        Api.as(token)
                .contentType(ContentType.JSON)
                .body(MODEL)
                .put("/api/v1/tenants/" + acme.tenant() + "/models/refused")
                .then()
                .statusCode(403);
        Api.as(token).get("/api/v1/tenants").then().statusCode(403);
    }

    static final Map<String, Object> MODEL = Map.of(
            "dataset",
            "readings",
            "target",
            "label",
            "objective",
            "multiclass",
            "params",
            Map.of("numRounds", 5, "seed", 1));

    /** Acceptance 1, admin half: a person's password-grant token manages the tenant's models. */
    @Test
    void shouldLetAdminPasswordTokenManageItsTenantsModels() {
        String token = acme.adminToken();
        String models = "/api/v1/tenants/" + acme.tenant() + "/models";
        // a row more than the integration's upload (INTEGRATION_CALLS) to the same dataset: when that ran first, its
        // rows are the latest version, and the same rows again would be answered 200 unchanged
        Api.as(token)
                .contentType("text/csv")
                .body("id,x,label\n1,0.5,a\n2,1.5,b\n3,2.5,a\n4,3.5,b\n5,4.5,a\n")
                .post("/api/v1/tenants/" + acme.tenant() + "/datasets/readings/versions")
                .then()
                .statusCode(201);
        Api.as(token)
                .contentType(ContentType.JSON)
                .body(MODEL)
                .put(models + "/quality")
                .then()
                .statusCode(201);
        Api.as(token).get(models + "/quality").then().statusCode(200);
        Api.as(token).get(models).then().statusCode(200).body("items.name", hasItem("quality"));
        Api.as(token)
                .contentType(ContentType.JSON)
                .body(MODEL)
                .put("/api/v1/tenants/" + globex.tenant() + "/models/quality")
                .then()
                .statusCode(anyOf(is(403), is(404)));
        Api.as(token).delete(models + "/quality").then().statusCode(204);
    }

    @Test
    void shouldLetAdminPasswordTokenManageItsTenantsKeys() {
        String token = acme.adminToken();
        String path = "/api/v1/tenants/" + acme.tenant() + "/api-keys";
        String id = Api.as(token)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "crm-sync", "role", "integration"))
                .post(path)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Api.as(token).get(path).then().statusCode(200).body("items.name", hasItem("crm-sync"));
        Api.as(token).delete(path + "/" + id).then().statusCode(204);
        // the audit trail names the token's subject, not a key: newest first, the revocation then the creation
        Api.as(token)
                .queryParam("limit", 2)
                .get("/api/v1/tenants/" + acme.tenant() + "/audit")
                .then()
                .statusCode(200)
                .body(
                        "items.action",
                        equalTo(java.util.List.of(
                                "DELETE /api/v1/tenants/{tenant}/api-keys/{id}",
                                "POST /api/v1/tenants/{tenant}/api-keys")))
                .body("items[0].target", equalTo("id=" + id))
                .body("items.actor.kind", everyItem(equalTo("oidc")))
                .body("items.actor.role", everyItem(equalTo("admin")))
                .body("items.actor.subject", everyItem(startsWith("oidc:")));
        Api.as(token)
                .get("/api/v1/tenants/" + acme.tenant())
                .then()
                .statusCode(200)
                .body("id", equalTo(acme.tenant()));

        Api.as(token)
                .get("/api/v1/tenants/" + globex.tenant() + "/api-keys")
                .then()
                .statusCode(anyOf(is(403), is(404)));
        Api.as(token).get("/api/v1/tenants").then().statusCode(403);
    }

    @Test
    void shouldLetOperatorTokenListTenants() {
        assertThat(Pages.walk(Api.as(KeycloakTokens.operator()), "/api/v1/tenants", 1000))
                .extracting(t -> t.get("id"))
                .contains(acme.tenant(), globex.tenant());
    }

    @Test
    void shouldKeepAcceptingApiKeysBesideTokens() {
        Api.as(acme.adminApiKey())
                .get("/api/v1/tenants/" + acme.tenant() + "/api-keys")
                .then()
                .statusCode(200);
    }

    /**
     * Acceptance 1 end to end: the integration's client-credentials token uploads data, the admin's
     * password-grant token declares and trains a model, and the integration's token predicts with it, on acme
     * only.
     */
    @Test
    void shouldLetIntegrationTokenUploadAndPredictWithModelTheAdminTokenTrained() throws Exception {
        String integration = acme.integrationToken();
        String admin = acme.adminToken();
        String base = "/api/v1/tenants/" + acme.tenant();
        byte[] penguins;
        try (var in = getClass().getResourceAsStream("/datasets/penguins.json")) {
            penguins = in.readAllBytes();
        }
        // Only admins define datasets (issue 15); once defined, the integration adds versions.
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(penguins)
                .post(base + "/datasets/penguins/versions")
                .then()
                .statusCode(201);
        // rows the admin's version does not hold (the same rows again would be answered 200 unchanged)
        Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Fixtures.withoutTheFirstRecord(penguins))
                .post(base + "/datasets/penguins/versions")
                .then()
                .statusCode(201);
        Api.as(integration)
                .contentType(ContentType.JSON)
                .body(penguins)
                .post("/api/v1/tenants/" + globex.tenant() + "/datasets/penguins/versions")
                .then()
                .statusCode(anyOf(is(403), is(404)));

        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "dataset",
                        "penguins",
                        "target",
                        "Species",
                        "objective",
                        "multiclass",
                        "autoPromote",
                        true,
                        "params",
                        Map.of("numRounds", 10, "seed", 5)))
                .put(base + "/models/species")
                .then()
                .statusCode(201);
        String training = Api.as(admin)
                .contentType(ContentType.JSON)
                .body("{}")
                .post(base + "/models/species/trainings")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Fixtures.awaitEnd(admin, base + "/trainings/" + training).then().body("status", equalTo("succeeded"));

        Map<String, Object> penguin = Map.of(
                "Island",
                "Biscoe",
                "Beak Length (mm)",
                47.5,
                "Beak Depth (mm)",
                15.0,
                "Flipper Length (mm)",
                218,
                "Body Mass (g)",
                4950,
                "Sex",
                "FEMALE");
        Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Map.of("records", java.util.List.of(penguin)))
                .post(base + "/models/species/predict")
                .then()
                .statusCode(200)
                .body("model", equalTo("species"))
                .body("predictions.size()", equalTo(1));
        Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Map.of("records", java.util.List.of(penguin)))
                .post("/api/v1/tenants/" + globex.tenant() + "/models/species/predict")
                .then()
                .statusCode(anyOf(is(403), is(404)));
    }

    /** Acceptance 3: the onboarding's credentials work at once; after offboarding they get no token. */
    @Test
    void shouldIssueWorkingIntegrationCredentialsAndRemoveThemOnOffboarding() {
        TenantIdentity initech = KeycloakTokens.onboard(Api.uniqueTenant("initech"));
        assertThat(initech.integrationClientId()).isEqualTo("tenant." + initech.tenant() + ".integration");
        String token = initech.integrationToken();
        Api.as(token).get("/api/v1/tenants/" + initech.tenant()).then().statusCode(200);
        Api.as(initech.adminToken())
                .get("/api/v1/tenants/" + initech.tenant() + "/api-keys")
                .then()
                .statusCode(200);

        Api.asOperator().delete("/api/v1/tenants/" + initech.tenant()).then().statusCode(204);

        var refused = KeycloakServer.postFormRaw(
                KeycloakServer.tokenUrl(),
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        initech.integrationClientId(),
                        "client_secret",
                        initech.integrationSecret()));
        assertThat(refused.statusCode()).as(refused.body()).isIn(400, 401);
        var noAdmin = KeycloakServer.postFormRaw(
                KeycloakServer.tokenUrl(),
                Map.of(
                        "grant_type",
                        "password",
                        "client_id",
                        KeycloakServer.CLI_CLIENT,
                        "username",
                        initech.adminUsername(),
                        "password",
                        initech.adminPassword()));
        assertThat(noAdmin.statusCode()).as(noAdmin.body()).isIn(400, 401);
        assertThat(KeycloakServer.admin("GET", "/organizations?exact=true&search=" + initech.tenant(), null))
                .isEmpty();
        // A token issued before offboarding still verifies, but its tenant is gone.
        Api.as(token).get("/api/v1/tenants/" + initech.tenant()).then().statusCode(404);

        // ...and it is not taken for a new tenant of the same id (a concurrency probe saw such a token mint an admin
        // API key there). The wait is for the clock to pass the token's iat by the allowed skew (2 s), no more.
        long issuedAt = issuedAt(token);
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().getEpochSecond() > issuedAt + 3);
        TenantIdentity again = KeycloakTokens.onboard(initech.tenant());
        Api.as(token)
                .get("/api/v1/tenants/" + initech.tenant())
                .then()
                .statusCode(401)
                .body("detail", containsString("issued before tenant"));
        Api.as(again.integrationToken())
                .get("/api/v1/tenants/" + initech.tenant())
                .then()
                .statusCode(200);
    }

    private static long issuedAt(String jwt) {
        String payload = new String(
                java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
        return new io.restassured.path.json.JsonPath(payload).getLong("iat");
    }

    @Test
    void shouldCreateListAndDeleteMoreIntegrationClients() {
        String admin = acme.adminToken();
        String path = "/api/v1/tenants/" + acme.tenant() + "/integrations";
        var issued = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "erp"))
                .post(path)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String clientId = issued.getString("clientId");
        assertThat(clientId).isEqualTo("tenant." + acme.tenant() + ".erp");
        String token = KeycloakTokens.clientCredentials(clientId, issued.getString("clientSecret"));
        Api.as(token).get("/api/v1/tenants/" + acme.tenant()).then().statusCode(200);

        Api.as(admin)
                .get(path)
                .then()
                .statusCode(200)
                .body("items.clientId", hasItems(acme.integrationClientId(), clientId))
                .body("items.clientSecret", everyItem(nullValue()))
                .body("items.clientId", not(hasItem(globex.integrationClientId())));
        assertThat(Pages.walk(Api.as(admin), path, 1))
                .as("in pages of one, by client id")
                .extracting(c -> (String) c.get("clientId"))
                .contains(acme.integrationClientId(), clientId)
                .isSorted();

        Api.as(admin).delete(path + "/" + clientId).then().statusCode(204);
        Api.as(admin).delete(path + "/" + clientId).then().statusCode(404);
        var refused = KeycloakServer.postFormRaw(
                KeycloakServer.tokenUrl(),
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        clientId,
                        "client_secret",
                        issued.getString("clientSecret")));
        assertThat(refused.statusCode()).as(refused.body()).isIn(400, 401);
    }

    @Test
    void shouldRefuseOneIntegrationClientMoreThanThePlanWith409() {
        TenantIdentity limited = KeycloakTokens.onboard(Api.uniqueTenant("quota"));
        // onboarding created one integration client; the plan allows one
        Fixtures.plan(limited.tenant(), Map.of("integrationClients", 1));
        Api.as(limited.adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "erp"))
                .post("/api/v1/tenants/" + limited.tenant() + "/integrations")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tenantml.io/problems/quota-exceeded"))
                .body("limit", equalTo("integrationClients"));
        Api.as(limited.adminToken())
                .get("/api/v1/tenants/" + limited.tenant() + "/integrations")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1));
    }

    @Test
    void shouldRejectInvalidIntegrationNameAndAdminMembers() {
        Api.as(acme.adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Not Valid"))
                .post("/api/v1/tenants/" + acme.tenant() + "/integrations")
                .then()
                .statusCode(400);
        String id = Api.uniqueTenant("badadmin");
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", "x", "admin", Map.of("username", "A B")))
                .post("/api/v1/tenants")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("admin.username"));
        Api.asOperator().get("/api/v1/tenants/" + id).then().statusCode(404);
    }

    /** A Keycloak refusal mid-provisioning (the admin's name is taken) leaves nothing, in either system. */
    @Test
    void shouldLeaveNothingWhenKeycloakRefusesPartOfTheOnboarding() {
        String id = Api.uniqueTenant("clash");
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", "Clash", "admin", Map.of("username", acme.adminUsername())))
                .post("/api/v1/tenants")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        Api.asOperator().get("/api/v1/tenants/" + id).then().statusCode(404);
        assertThat(KeycloakServer.admin("GET", "/organizations?exact=true&search=" + id, null))
                .isEmpty();
        assertThat(KeycloakServer.admin("GET", "/clients?clientId=tenant." + id + ".integration", null))
                .isEmpty();
        // acme's admin, whose name was wanted, is untouched.
        Api.as(acme.adminToken()).get("/api/v1/tenants/" + acme.tenant()).then().statusCode(200);
    }
}
