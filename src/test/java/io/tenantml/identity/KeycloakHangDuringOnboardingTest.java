package io.tenantml.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.KeycloakProfile;
import io.tenantml.testing.KeycloakServer;
import io.tenantml.testing.KeycloakTokens;
import io.tenantml.testing.KeycloakTokens.TenantIdentity;
import io.tenantml.testing.Pages;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Keycloak hangs (SIGSTOP: the kernel still accepts its connections, nothing answers) after the organization was
 * created and before the integration client. The admin client's timeout turns the hang into 503
 * {@code identity-provider-unavailable} well before the onboarding's JTA transaction (60 s) is cancelled, with no
 * platform tenant left; once Keycloak answers again the retried onboarding completes. Before the timeout the
 * request waited as long as Keycloak hung and then answered 500 (the reaper had cancelled the transaction).
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class KeycloakHangDuringOnboardingTest {

    /** Longer than the JTA transaction timeout (60 s): without a timeout of its own, the request waits this long. */
    private static final Duration LONGEST_HANG = Duration.ofSeconds(70);

    // the default, so the test also runs (and fails) on a build without the setting
    @ConfigProperty(name = "tenantml.identity.provisioning.timeout", defaultValue = "10s")
    Duration timeout;

    @Test
    void shouldAnswer503WithinTheTimeoutWhenKeycloakHangsMidOnboardingAndCompleteOnRetry() {
        String tenant = Api.uniqueTenant("hang");
        KeycloakKillSwitch.armFreeze(tenant, "organization");
        // thaws Keycloak even if the request never answers on its own (as before the timeout)
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(
                KeycloakServer::thaw, CompletableFuture.delayedExecutor(LONGEST_HANG.toSeconds(), TimeUnit.SECONDS));
        Response answer;
        long started = System.nanoTime();
        try {
            answer = Api.asOperator()
                    .contentType(ContentType.JSON)
                    .body(Map.of("id", tenant, "name", "Hang Inc", "admin", Map.of("username", tenant + "-admin")))
                    .post("/api/v1/tenants");
        } finally {
            watchdog.cancel(false);
            KeycloakServer.thaw();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        answer.then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("type", equalTo("https://tenantml.io/problems/identity-provider-unavailable"));
        // two calls wait one timeout each: the integration client's, then the provisioner's clean-up
        assertThat(took)
                .as(answer.asString())
                .isLessThan(timeout.multipliedBy(2).plusSeconds(10));
        Api.asOperator().get("/api/v1/tenants/" + tenant).then().statusCode(404);
        assertThat(Pages.walk(Api.asOperator(), "/api/v1/tenants", 1000))
                .extracting(t -> t.get("id"))
                .doesNotContain(tenant);

        TenantIdentity retried = KeycloakTokens.onboard(tenant);
        Api.as(retried.integrationToken())
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(200);
        assertThat(KeycloakServer.admin("GET", "/organizations?exact=true&search=" + tenant, null))
                .hasSize(1);
        assertThat(KeycloakServer.admin("GET", "/clients?clientId=tenant." + tenant + ".integration", null))
                .hasSize(1);
    }
}
