package io.tenantml.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.KeycloakProfile;
import io.tenantml.testing.KeycloakServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * GET quotas while Keycloak hangs (SIGSTOP): the one count Keycloak keeps, its integration clients, is shown as
 * unavailable, and every other limit as usual; before, the whole answer was 503 for as long as Keycloak hung. The
 * limit itself still holds: a create of one more client is refused 503, not let through uncounted.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class QuotasDuringKeycloakOutageTest {

    /** Thaws Keycloak even if a request waits longer than the admin client's timeout (10 s). */
    private static final long WATCHDOG_SECONDS = 60;

    private static List<Map<String, Object>> integrationClients(Response quotas) {
        return quotas.path("quotas.findAll { it.limit == 'integrationClients' }");
    }

    @Test
    void shouldShowTheKeycloakCountAsUnavailableAndEveryOtherLimitWhileKeycloakHangs() {
        String tenant = Api.uniqueTenant("kc-quota");
        String admin = Api.createTenant(tenant);
        Fixtures.plan(tenant, Map.of("integrationClients", 3, "datasets", 4));
        String quotasPath = Fixtures.base(tenant) + "/quotas";
        Response before = Api.as(admin).get(quotasPath);
        before.then().statusCode(200);

        KeycloakServer.freeze();
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(
                KeycloakServer::thaw, CompletableFuture.delayedExecutor(WATCHDOG_SECONDS, TimeUnit.SECONDS));
        Response during;
        Response create;
        try {
            during = Api.as(admin).get(quotasPath);
            create = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", "during-outage"))
                    .post(Fixtures.base(tenant) + "/integrations");
        } finally {
            watchdog.cancel(false);
            KeycloakServer.thaw();
        }

        during.then().statusCode(200);
        assertThat(integrationClients(during))
                .as(during.asString())
                .hasSize(2)
                .contains(Map.of("limit", "integrationClients", "max", 3, "used", 0, "counts", "integration API keys"))
                .anySatisfy(keycloak -> {
                    assertThat(keycloak)
                            .containsEntry("counts", "Keycloak integration clients")
                            .containsEntry("max", 3)
                            .doesNotContainKey("used");
                    assertThat((String) keycloak.get("unavailable")).contains("identity provider did not answer");
                });
        // every other limit is answered as before the outage
        assertThat(during.<List<String>>path("quotas.limit")).isEqualTo(before.<List<String>>path("quotas.limit"));
        assertThat(during.<Object>path("quotas.find { it.limit == 'datasets' }"))
                .isEqualTo(before.<Object>path("quotas.find { it.limit == 'datasets' }"));
        create.then()
                .statusCode(503)
                .body("type", equalTo("https://tenantml.io/problems/identity-provider-unavailable"));

        Response after = Api.as(admin).get(quotasPath);
        assertThat(integrationClients(after))
                .as(after.asString())
                .contains(Map.of(
                        "limit", "integrationClients", "max", 3, "used", 1, "counts", "Keycloak integration clients"));
    }
}
