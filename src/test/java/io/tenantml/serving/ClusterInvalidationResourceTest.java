package io.tenantml.serving;

import static io.tenantml.serving.ServingFixtures.base;
import static io.tenantml.serving.ServingFixtures.penguin;
import static io.tenantml.serving.ServingFixtures.predict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Keys and aliases are served from memory; what another node changes reaches this one by PostgreSQL
 * NOTIFY. "Another node" is simulated by changing the rows and notifying from a plain connection, exactly
 * as a second service process would (its events carry another node id).
 */
@QuarkusTest
class ClusterInvalidationResourceTest {

    private static final Duration NOTIFICATION_DELAY = Duration.ofSeconds(10);

    @Inject
    AgroalDataSource dataSource;

    private record TwoVersions(String tenant, String admin, String integration) {}

    private static TwoVersions tenantWithTwoVersionsOnProductionOne(String stem) {
        String tenant = Api.uniqueTenant(stem);
        String admin = Api.createTenant(tenant);
        String integration = Api.createKey(tenant, admin, "integration");
        ServingFixtures.upload(tenant, admin, "penguins", "penguins.json");
        ServingFixtures.putModel(tenant, admin, "species", ServingFixtures.PENGUINS, false);
        ServingFixtures.train(tenant, admin, "species");
        Map<String, Object> spec = new HashMap<>(ServingFixtures.PENGUINS);
        spec.put("params", Map.of("numRounds", 3, "seed", ServingFixtures.SEED));
        ServingFixtures.putModel(tenant, admin, "species", spec, false);
        ServingFixtures.train(tenant, admin, "species");
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("version", 1))
                .put(base(tenant) + "/models/species/aliases/production")
                .then()
                .statusCode(200);
        return new TwoVersions(tenant, admin, integration);
    }

    private static int servedVersion(TwoVersions t) {
        return predict(t.tenant(), t.integration(), "species", Map.of("records", List.of(penguin())))
                .then()
                .statusCode(200)
                .extract()
                .path("version");
    }

    /** What another node's alias move does in its transaction: the row, then the event. */
    private void moveProductionElsewhere(String tenant, int version, boolean notify) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "update model_alias set version = ? where tenant_id = ? and model = 'species' and alias = 'production'")) {
                ps.setInt(1, version);
                ps.setString(2, tenant);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            if (notify) {
                notifyAsOtherNode(c, "model-aliases-changed", tenant + "/species");
            }
            c.commit();
        }
    }

    private static void notifyAsOtherNode(Connection c, String topic, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_notify('tenantml_events', ?)")) {
            ps.setString(1, "other-node-" + UUID.randomUUID() + "|" + topic + "|" + payload);
            ps.execute();
        }
    }

    @Test
    void shouldServeAnAliasFromMemoryAndFollowAMoveByAnotherNodeOnceNotified() throws SQLException {
        TwoVersions t = tenantWithTwoVersionsOnProductionOne("notify");
        assertThat(servedVersion(t)).isEqualTo(1);

        // A change that no event announces is not seen: the alias really is served from memory...
        moveProductionElsewhere(t.tenant(), 2, false);
        assertThat(servedVersion(t)).isEqualTo(1);
        assertThat(servedVersion(t)).isEqualTo(1);

        // ...and the event of another node's committed move is what makes the next requests use it.
        moveProductionElsewhere(t.tenant(), 2, true);
        await().atMost(NOTIFICATION_DELAY).until(() -> servedVersion(t) == 2);
    }

    @Test
    void shouldRefuseAKeyRevokedOnAnotherNodeOnceNotified() throws SQLException {
        TwoVersions t = tenantWithTwoVersionsOnProductionOne("revoke");
        assertThat(servedVersion(t)).isEqualTo(1);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            UUID id;
            try (PreparedStatement ps = c.prepareStatement("update api_key set revoked_at = now() "
                    + "where tenant_id = ? and role = 'integration' returning id")) {
                ps.setString(1, t.tenant());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    id = rs.getObject(1, UUID.class);
                }
            }
            notifyAsOtherNode(c, "api-key-revoked", id.toString());
            c.commit();
        }
        await().atMost(NOTIFICATION_DELAY)
                .until(() -> predict(t.tenant(), t.integration(), "species", Map.of("records", List.of(penguin())))
                                .statusCode()
                        == 401);
        // The admin key of the same tenant is untouched.
        Api.as(t.admin()).get(base(t.tenant()) + "/models/species").then().statusCode(200);
    }

    @Test
    void shouldNotServeStaleAliasesAfterTheListeningConnectionWasLost() throws SQLException {
        TwoVersions t = tenantWithTwoVersionsOnProductionOne("resync");
        assertThat(servedVersion(t)).isEqualTo(1);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select pg_terminate_backend(pid) from pg_stat_activity "
                        + "where datname = current_database() and application_name = 'tenantml-cluster-events'");
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as("the listening session").isTrue();
        }
        // Notifications sent while nobody listened are lost; this change sends none at all. The caches are
        // bypassed until the listener is back, and cleared when it is, so the change is seen either way.
        moveProductionElsewhere(t.tenant(), 2, false);
        await().atMost(NOTIFICATION_DELAY).until(() -> servedVersion(t) == 2);

        // Once listening again, the caches work as before: notified changes are seen.
        await().atMost(NOTIFICATION_DELAY).until(() -> listening());
        moveProductionElsewhere(t.tenant(), 1, true);
        await().atMost(NOTIFICATION_DELAY).until(() -> servedVersion(t) == 1);
        predict(t.tenant(), t.integration(), "species", Map.of("records", List.of(penguin())))
                .then()
                .body("version", equalTo(1));
    }

    private boolean listening() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select 1 from pg_stat_activity "
                        + "where datname = current_database() and application_name = 'tenantml-cluster-events'");
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }
}
