package io.tenantml.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: offboarding first marks the tenant leaving, then deletes. While the deletion listeners run
 * (jobs removed, trainings stopped), the tenant's own keys and the operator's requests for it are already
 * refused, so nothing new starts for a tenant whose files are about to go.
 */
@QuarkusTest
class TenantLeavingResourceTest {

    static final String PROBED = "leaving-probe-";
    static final Map<String, String> ADMIN_KEYS = new ConcurrentHashMap<>();
    static final Map<String, Integer> SEEN = new ConcurrentHashMap<>();

    /** Asks the API about the tenant from inside its offboarding, after the mark and before the delete. */
    @ApplicationScoped
    static class Probe implements TenantDeletionListener {
        @Override
        public void onTenantDeleted(TenantId tenant) {
            String admin = ADMIN_KEYS.get(tenant.value());
            if (admin == null) {
                return;
            }
            SEEN.put("admin", status(admin, tenant));
            SEEN.put("operator", status(Api.OPERATOR_KEY, tenant));
        }

        private static int status(String key, TenantId tenant) {
            try (HttpClient http = HttpClient.newHttpClient()) {
                return http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                                                + "/api/v1/tenants/" + tenant + "/datasets"))
                                        .header("Authorization", "Bearer " + key)
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final java.util.Set<String> FAIL_ONCE = ConcurrentHashMap.newKeySet();

    /** An offboarding step that fails after the tenant was marked leaving, as one does while Keycloak is down. */
    @ApplicationScoped
    static class FailsOnce implements TenantDeletionListener {
        @Override
        public void onTenantDeleted(TenantId tenant) {
            if (FAIL_ONCE.remove(tenant.value())) {
                throw new ProblemException(
                        Problem.of(503, "identity-provider-unavailable", "Service unavailable", "the test's outage"));
            }
        }
    }

    @Test
    void shouldLetTheOperatorSeeAndFinishAnOffboardingThatFailedAfterTheTenantWasMarkedLeaving() {
        String tenant = Api.uniqueTenant("leaving-retry");
        String admin = Api.createTenant(tenant);
        FAIL_ONCE.add(tenant);

        Api.asOperator().delete("/api/v1/tenants/" + tenant).then().statusCode(503);

        Api.asOperator()
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("leaving"));
        Api.asOperator().get("/api/v1/tenants/" + tenant + "/datasets").then().statusCode(404);
        Api.as(admin).get("/api/v1/tenants/" + tenant).then().statusCode(org.hamcrest.Matchers.isOneOf(401, 404));
        Api.asOperator().delete("/api/v1/tenants/" + tenant).then().statusCode(204);
        Api.asOperator().get("/api/v1/tenants/" + tenant).then().statusCode(404);
        Api.createTenant(tenant);
        Api.asOperator()
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("active"));
    }

    @Test
    void shouldRefuseTheTenantsRequestsOnceItIsLeaving() {
        String tenant = Api.uniqueTenant(PROBED.substring(0, PROBED.length() - 1));
        String admin = Api.createTenant(tenant);
        // Verified once, so the key is in the verified-key cache: leaving must take it out.
        Api.as(admin).get("/api/v1/tenants/" + tenant + "/datasets").then().statusCode(200);
        ADMIN_KEYS.put(tenant, admin);

        Api.asOperator().delete("/api/v1/tenants/" + tenant).then().statusCode(204);

        assertThat(SEEN.get("admin")).as("the leaving tenant's own key").isIn(401, 404);
        assertThat(SEEN.get("operator"))
                .as("the operator, for a leaving tenant")
                .isEqualTo(404);
    }
}
