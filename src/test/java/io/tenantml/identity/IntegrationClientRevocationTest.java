package io.tenantml.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tenantml.testing.Api;
import io.tenantml.testing.KeycloakProfile;
import io.tenantml.testing.KeycloakTokens;
import io.tenantml.testing.KeycloakTokens.TenantIdentity;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deleting an integration client through the platform cuts off the access tokens it already holds at once
 * (they are verified locally and would otherwise work until they expire), and nothing else: not the tenant's other
 * clients, not another tenant's client of the same name. Real Keycloak tokens from the client credentials grant.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class IntegrationClientRevocationTest {

    private static final Duration NOTIFICATION_DELAY = Duration.ofSeconds(10);

    static TenantIdentity acme;
    static TenantIdentity globex;

    @Inject
    AgroalDataSource dataSource;

    /** A client as the create answered it. */
    record Client(String tenant, String clientId, String secret) {
        String token() {
            return KeycloakTokens.clientCredentials(clientId, secret);
        }
    }

    // Not @BeforeAll: REST Assured points at the application only once the test instance exists.
    @BeforeEach
    void onboardTwoTenantsOnce() {
        if (acme == null) {
            acme = KeycloakTokens.onboard(Api.uniqueTenant("revoke"));
            globex = KeycloakTokens.onboard(Api.uniqueTenant("revoke-other"));
        }
    }

    private static Client create(TenantIdentity tenant, String name) {
        JsonPath answer = Api.as(tenant.adminApiKey())
                .contentType(ContentType.JSON)
                .body(Map.of("name", name))
                .post("/api/v1/tenants/" + tenant.tenant() + "/integrations")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Client(tenant.tenant(), answer.getString("clientId"), answer.getString("clientSecret"));
    }

    private static void delete(TenantIdentity tenant, Client client) {
        Api.as(tenant.adminApiKey())
                .delete("/api/v1/tenants/" + tenant.tenant() + "/integrations/" + client.clientId())
                .then()
                .statusCode(204);
    }

    private static int status(String token, String tenant) {
        return Api.as(token).get("/api/v1/tenants/" + tenant + "/datasets").statusCode();
    }

    private static void assertWorks(String token, String tenant) {
        Api.as(token).get("/api/v1/tenants/" + tenant).then().statusCode(200).body("id", equalTo(tenant));
        Api.as(token).get("/api/v1/tenants/" + tenant + "/datasets").then().statusCode(200);
    }

    private static void assertRefusedAsDeleted(String token, Client client) {
        for (String path : new String[] {"", "/datasets"}) {
            Api.as(token)
                    .get("/api/v1/tenants/" + client.tenant() + path)
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("status", equalTo(401))
                    .body("detail", containsString("integration client '" + client.clientId() + "'"))
                    .body("detail", containsString("deleted from tenant '" + client.tenant() + "'"));
        }
    }

    @Test
    void shouldRefuseTheTokenADeletedIntegrationClientAlreadyHeldAtOnce() {
        Client doomed = create(acme, "doomed");
        String token = doomed.token();
        assertWorks(token, acme.tenant());

        delete(acme, doomed);

        // the very next request, well within the token's 300 s
        assertRefusedAsDeleted(token, doomed);
    }

    @Test
    void shouldKeepAcceptingTheTokensOfTheTenantsOtherIntegrationClients() {
        Client doomed = create(acme, "doomed-beside");
        Client sibling = create(acme, "sibling");
        String doomedToken = doomed.token();
        String siblingToken = sibling.token();
        String onboardedToken = acme.integrationToken();

        delete(acme, doomed);

        assertRefusedAsDeleted(doomedToken, doomed);
        assertWorks(siblingToken, acme.tenant());
        assertWorks(onboardedToken, acme.tenant());
        assertWorks(sibling.token(), acme.tenant());
        // a person's token of the tenant (issued to the CLI client) is no client of the tenant's
        assertWorks(acme.adminToken(), acme.tenant());
    }

    @Test
    void shouldKeepAcceptingTheTokenOfAnotherTenantsClientOfTheSameName() {
        Client ours = create(acme, "shared-name");
        Client theirs = create(globex, "shared-name");
        String ourToken = ours.token();
        String theirToken = theirs.token();
        assertWorks(theirToken, globex.tenant());

        delete(acme, ours);

        assertRefusedAsDeleted(ourToken, ours);
        assertWorks(theirToken, globex.tenant());
    }

    /**
     * A client re-created under the deleted one's id works again within seconds (the allowed clock skew errs on
     * the refusing side, so its first tokens may be refused), while the old client's token stays refused.
     */
    @Test
    void shouldAcceptAClientRecreatedUnderTheSameIdAndStillRefuseTheOldOnesToken() {
        Client first = create(acme, "reborn");
        String oldToken = first.token();
        delete(acme, first);

        Client second = create(acme, "reborn");
        assertThat(second.clientId()).isEqualTo(first.clientId());
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> status(second.token(), acme.tenant()) == 200);
        assertRefusedAsDeleted(oldToken, first);
    }

    /**
     * Tokens are checked from memory, so a revocation must reach every node's memory: one written on another
     * node (simulated by the row and its notification from a plain connection, exactly as a second process
     * writes them) is seen once notified, and not before.
     */
    @Test
    void shouldRefuseATokenOfAClientRevokedOnAnotherNodeOnceNotified() throws SQLException {
        Client client = create(acme, "elsewhere");
        String token = client.token();
        assertWorks(token, acme.tenant());

        revokeAsOtherNode(client, false);
        // served from memory: a row no event announced is not read on every request
        assertWorks(token, acme.tenant());

        revokeAsOtherNode(client, true);
        await().atMost(NOTIFICATION_DELAY).until(() -> status(token, acme.tenant()) == 401);
        assertRefusedAsDeleted(token, client);
        assertWorks(acme.integrationToken(), acme.tenant());
    }

    /** A node that could not listen may have missed the event: it clears what it held when it listens again. */
    @Test
    void shouldRefuseATokenOfAClientRevokedWhileThisNodeWasNotListening() throws SQLException {
        Client client = create(acme, "unheard");
        String token = client.token();
        assertWorks(token, acme.tenant());

        // the event this node missed: the row is there, no notification reaches this node, memory still accepts
        revokeAsOtherNode(client, false);
        assertWorks(token, acme.tenant());

        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select pg_terminate_backend(pid) from pg_stat_activity "
                        + "where datname = current_database() and application_name = 'tenantml-cluster-events'");
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as("the listening session").isTrue();
        }

        await().atMost(NOTIFICATION_DELAY).until(() -> status(token, acme.tenant()) == 401);
        assertRefusedAsDeleted(token, client);
    }

    /** What another node's delete writes in its transaction: the revocation row, then (maybe) the event. */
    private void revokeAsOtherNode(Client client, boolean notify) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into integration_revocation(tenant_id, client_id, revoked_at) values (?, ?, now())"
                            + " on conflict (tenant_id, client_id) do update set revoked_at = excluded.revoked_at")) {
                ps.setString(1, client.tenant());
                ps.setString(2, client.clientId());
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            if (notify) {
                // ClusterEvents' channel and message format: node|topic|payload, from a node that is not this one
                try (PreparedStatement ps = c.prepareStatement("select pg_notify('tenantml_events', ?)")) {
                    ps.setString(1, "other-node-" + UUID.randomUUID() + "|integration-revoked|" + client.tenant());
                    ps.execute();
                }
            }
            c.commit();
        }
    }
}
