package io.tenantml.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.security.CredentialVerifier;
import io.tenantml.security.SecurityConfig;
import io.tenantml.shared.cluster.ClusterConfig;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.testing.Api;
import io.tenantml.testing.MovableClock;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyExpiryResourceTest {

    @Inject
    KeyHasher hasher;

    @Inject
    ApiKeyExpiryWarnings warnings;

    @Inject
    CredentialStore store;

    @Inject
    SecurityConfig config;

    @Inject
    ClusterEvents cluster;

    @Inject
    ClusterConfig clusterConfig;

    private static Response issue(String tenant, String admin, Object expiresAt) {
        return Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "short-lived", "role", "integration", "expiresAt", expiresAt))
                .post("/api/v1/tenants/" + tenant + "/api-keys");
    }

    @Test
    void shouldIssueAKeyWithAnEndAndListIt() {
        String tenant = Api.uniqueTenant("expiry");
        String admin = Api.createTenant(tenant);
        Instant end = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);

        Response issued = issue(tenant, admin, end.toString());

        assertThat(issued.statusCode()).as(issued.asString()).isEqualTo(201);
        assertThat(Instant.parse(issued.path("expiresAt"))).isEqualTo(end);
        String key = issued.path("key");
        Api.as(key).get("/api/v1/tenants/" + tenant + "/models").then().statusCode(200);
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .body("items.find { it.name == 'short-lived' }.expiresAt", equalTo(end.toString()));
    }

    @Test
    void shouldRefuseAnEndInThePastOrMoreThanThreeYearsAheadAndIssueNothing() {
        String tenant = Api.uniqueTenant("expiry");
        String admin = Api.createTenant(tenant);
        for (Instant end : new Instant[] {
            Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(4 * 366))
        }) {
            issue(tenant, admin, end.toString())
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", endsWith("/invalid-key-expiry"))
                    .body("field", equalTo("expiresAt"));
        }
        issue(tenant, admin, "next week").then().statusCode(400).body("field", equalTo("expiresAt"));
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .body("items.name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("short-lived")));
    }

    /**
     * The verifier with its own clock, over the real store: the same key verifies before its end and is refused
     * from its end on, the first time from the database and then from the verifier's cache.
     */
    @Test
    void shouldRefuseAKeyFromItsEndOnWhetherItIsReadFromTheDatabaseOrTheCache() {
        String tenant = Api.uniqueTenant("expiry");
        String admin = Api.createTenant(tenant);
        Instant end = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        String key = issue(tenant, admin, end.toString())
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        MovableClock clock = new MovableClock(end.minusSeconds(1));
        ApiKeyVerifier verifier = new ApiKeyVerifier(hasher, store, config, clock, cluster, clusterConfig);
        verifier.init();

        assertThat(verifier.verify(key)).isInstanceOf(CredentialVerifier.Verified.class);
        assertThat(verifier.verifyInMemory(key))
                .as("cached after the first verification")
                .containsInstanceOf(CredentialVerifier.Verified.class);
        clock.now = end;
        assertThat(verifier.verifyInMemory(key))
                .containsInstanceOf(CredentialVerifier.Rejected.class)
                .hasValueSatisfying(v -> assertThat(((CredentialVerifier.Rejected) v).reason())
                        .isEqualTo("the API key expired at " + end));
        ApiKeyVerifier fresh = new ApiKeyVerifier(hasher, store, config, clock, cluster, clusterConfig);
        fresh.init();
        assertThat(fresh.verify(key)).as("read from the database").isInstanceOf(CredentialVerifier.Rejected.class);
    }

    /** An expired key works for nothing, so it does not hold a place under the plan's limit on integration keys. */
    @Test
    void shouldNotCountAnExpiredKeyAgainstThePlansIntegrationKeys() throws Exception {
        String tenant = Api.uniqueTenant("expiry");
        String admin = Api.createTenant(tenant);
        io.tenantml.testing.Fixtures.plan(tenant, Map.of("integrationClients", 1));
        issue(tenant, admin, Instant.now().plus(Duration.ofDays(1)).toString())
                .then()
                .statusCode(201);
        secondKey(tenant, admin).then().statusCode(409).body("type", endsWith("/quota-exceeded"));
        // its end passed (moved back: a test does not wait a minute)
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement("update api_key set created_at = now() - interval"
                        + " '2 hours', expires_at = now() - interval '1 hour' where tenant_id = ? and name = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, "short-lived");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        secondKey(tenant, admin).then().statusCode(201);
    }

    private static Response secondKey(String tenant, String admin) {
        return Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "second", "role", "integration"))
                .post("/api/v1/tenants/" + tenant + "/api-keys");
    }

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    private static String issued(String tenant, String admin, String name, Instant end) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "role", "integration"));
        if (end != null) {
            body.put("expiresAt", end.toString());
        }
        return Api.as(admin)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static java.util.List<Map<String, Object>> expiring(String tenant, String admin) {
        return Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/events?type=api_key.expiring")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.data");
    }

    /**
     * The owners of an integration hear of its key's end while there is time to put a new key in: once, in the key's
     * tenant only, and not for a key ending later, a revoked key or a key without an end.
     */
    @Test
    void shouldWarnOnceOfAKeyEndingWithinTheWarningPeriodAndOnlyItsTenant() throws Exception {
        String tenant = Api.uniqueTenant("expiry");
        String admin = Api.createTenant(tenant);
        String other = Api.uniqueTenant("expiry");
        String otherAdmin = Api.createTenant(other);
        Instant soon = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        String ending = issued(tenant, admin, "ending", soon);
        issued(tenant, admin, "later", Instant.now().plus(Duration.ofDays(30)));
        issued(tenant, admin, "endless", null);
        String revoked = issued(tenant, admin, "revoked", soon);
        Api.as(admin)
                .delete("/api/v1/tenants/" + tenant + "/api-keys/" + revoked)
                .then()
                .statusCode(204);

        assertThat(warnings.warnDue()).isGreaterThanOrEqualTo(1);
        assertThat(expiring(tenant, admin))
                .containsExactly(Map.of(
                        "tenant",
                        tenant,
                        "key",
                        ending,
                        "name",
                        "ending",
                        "role",
                        "integration",
                        "prefix",
                        Api.as(admin)
                                .get("/api/v1/tenants/" + tenant + "/api-keys")
                                .path("items.find { it.id == '" + ending + "' }.prefix"),
                        "expiresAt",
                        soon.toString()));

        warnings.warnDue();
        assertThat(expiring(tenant, admin)).as("warned once").hasSize(1);
        assertThat(expiring(other, otherAdmin)).as("another tenant's feed").isEmpty();
    }
}
