package io.tenantml.identity;

import static io.tenantml.testing.Concurrently.assertOneDeletedTheRest404;
import static io.tenantml.testing.Concurrently.atOnce;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Concurrently;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.KeycloakProfile;
import io.tenantml.testing.KeycloakServer;
import io.tenantml.testing.KeycloakTokens;
import io.tenantml.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Writes that go through Keycloak, sent several at once, are answered as if each came alone (README: a delete
 * sent several times at once gives one 204 and the rest 404), and leave Keycloak holding exactly what the
 * platform says it has.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class KeycloakConcurrentWritesTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    /** Keycloak's clients whose client id contains {@code tenant.<tenant>.}: the tenant's integrations. */
    static JsonNode keycloakClientsOf(String tenant) {
        return KeycloakServer.admin("GET", "/clients?search=true&clientId=tenant." + tenant + ".", null);
    }

    @Test
    void shouldDeleteAnIntegrationClientOnceAndAnswerTheOtherDeletes404() throws Exception {
        String tenant = Api.uniqueTenant("kc-delete");
        String admin = Api.createTenant(tenant);
        String path = "/api/v1/tenants/" + tenant + "/integrations";
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "doomed"))
                .post(path)
                .then()
                .statusCode(201);

        assertOneDeletedTheRest404(atOnce(4, i -> Api.as(admin).delete(path + "/tenant." + tenant + ".doomed")));
        assertThat(KeycloakServer.admin("GET", "/clients?clientId=tenant." + tenant + ".doomed", null))
                .isEmpty();
    }

    @Test
    void shouldOffboardATenantWithKeycloakObjectsOnceAndAnswerTheOtherOffboardings404() throws Exception {
        String tenant = Api.uniqueTenant("kc-leaving");
        KeycloakTokens.onboard(tenant);

        assertOneDeletedTheRest404(atOnce(4, i -> Api.asOperator().delete("/api/v1/tenants/" + tenant)));
        Api.asOperator().get("/api/v1/tenants/" + tenant).then().statusCode(404);
        assertThat(keycloakClientsOf(tenant)).isEmpty();
        assertThat(KeycloakServer.admin("GET", "/users?exact=true&username=" + tenant + "-admin", null))
                .isEmpty();
        assertThat(KeycloakServer.admin("GET", "/organizations?exact=true&search=" + tenant, null))
                .isEmpty();
    }

    /**
     * Six creates at once on a plan of three integration clients: the onboarding made one, so exactly two of the
     * six are created and four are refused 409 quota-exceeded (each counts under the tenant's quota lock, held
     * across its count and its create). The probe saw six created, before the quota lock.
     */
    @Test
    void shouldCreateNoMoreIntegrationClientsThanThePlanAllowsWhenAllArriveAtOnce() throws Exception {
        String tenant = Api.uniqueTenant("kc-burst");
        String admin = Api.createTenant(tenant);
        Fixtures.plan(tenant, Map.of("integrationClients", 3));

        List<Response> answers = atOnce(
                6,
                i -> Api.as(admin)
                        .contentType(ContentType.JSON)
                        .body(Map.of("name", "burst" + i))
                        .post("/api/v1/tenants/" + tenant + "/integrations"));

        assertThat(answers.stream().map(Response::statusCode).toList())
                .as(answers.stream().map(Response::asString).toList().toString())
                .containsExactlyInAnyOrder(201, 201, 409, 409, 409, 409);
        assertThat(answers.stream()
                        .filter(a -> a.statusCode() == 409)
                        .map(a -> a.<String>path("type"))
                        .toList())
                .containsOnly("https://tenantml.io/problems/quota-exceeded");
        assertThat(keycloakClientsOf(tenant)).hasSize(3);
        // the quota view shows Keycloak's clients beside the integration API keys, each counted on its own
        Response quotas = Api.as(admin).get("/api/v1/tenants/" + tenant + "/quotas");
        assertThat(quotas.<List<Map<String, Object>>>path("quotas.findAll { it.limit == 'integrationClients' }"))
                .as(quotas.asString())
                .containsExactlyInAnyOrder(
                        Map.of("limit", "integrationClients", "max", 3, "used", 0, "counts", "integration API keys"),
                        Map.of(
                                "limit",
                                "integrationClients",
                                "max",
                                3,
                                "used",
                                3,
                                "counts",
                                "Keycloak integration clients"));
    }

    /**
     * A create that passed authentication before an offboarding began, and creates its client after the
     * offboarding listed the tenant's clients to remove them: the quota's lock (which the create takes before it
     * counts and creates, since the plan has an {@code integrationClients} limit) is held by the test until the
     * offboarding has ended. The create then finds its tenant gone, removes its client and answers 404; before,
     * it answered 201 and the client stayed in Keycloak, enabled, with the gone tenant's id in its tokens.
     */
    @Test
    void shouldLeaveNoIntegrationClientOfATenantOffboardedWhileTheClientWasCreated() throws Exception {
        String tenant = Api.uniqueTenant("kc-late");
        String admin = Api.createTenant(tenant);
        Fixtures.plan(tenant, Map.of("integrationClients", 10));

        CompletableFuture<Response> late;
        try (Connection lock = TestDatabase.ownerConnection(jdbcUrl)) {
            lock.setAutoCommit(false);
            TestDatabase.holdNameLock(lock, "quota", tenant, "integrationClients");
            late = Concurrently.inBackground(() -> Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", "late"))
                    .post("/api/v1/tenants/" + tenant + "/integrations"));
            // authenticated while the tenant was active, now waiting to count the tenant's clients
            TestDatabase.awaitAdvisoryLockWaiters(lock, 1);
            Api.asOperator().delete("/api/v1/tenants/" + tenant).then().statusCode(204);
            lock.commit();
        }

        Response created = late.get(2, TimeUnit.MINUTES);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(404);
        assertThat(keycloakClientsOf(tenant))
                .as("clients of the offboarded tenant")
                .isEmpty();
    }
}
