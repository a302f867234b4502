package io.tenantml.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.webhooks.internal.SecretCipher;
import io.tenantml.webhooks.internal.WebhookSecrets;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhook signing secrets at rest: the column holds no secret, yet deliveries sign with the one returned at
 * creation; a stored value copied to another endpoint's row signs nothing there; a secret written in clear before
 * encryption is encrypted by the pass each node runs before delivering, and only then used. The receiver (on a port
 * of this class's own) verifies every signature with the secret the tenant got.
 */
@QuarkusTest
class WebhookSecretAtRestResourceTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    static WebhookReceiver receiver;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    WebhookSecrets secrets;

    @BeforeAll
    static void startReceiver() {
        receiver = new WebhookReceiver(18584);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    record Hook(String id, String secret, String path) {}

    static Hook register(String tenant, String admin) {
        Response r = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/hooks/" + tenant), "events", List.of("model.promoted")))
                .post(Fixtures.base(tenant) + "/webhooks");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        String id = r.path("id");
        return new Hook(id, r.path("secret"), Fixtures.base(tenant) + "/webhooks/" + id);
    }

    /** Queues a test event to the endpoint; its delivery's id. */
    static String sendTest(String admin, Hook hook) {
        Response r = Api.as(admin).post(hook.path() + "/test");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        return r.path("id");
    }

    static Map<String, Object> delivery(String admin, Hook hook, String delivery) {
        Response r = Api.as(admin).get(hook.path() + "/deliveries?limit=1000");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        List<Map<String, Object>> items = r.path("items");
        return items.stream()
                .filter(d -> delivery.equals(d.get("id")))
                .findFirst()
                .orElseThrow();
    }

    static void awaitDelivered(String admin, Hook hook, String delivery) {
        await().atMost(WAIT)
                .until(() -> "delivered".equals(delivery(admin, hook, delivery).get("status")));
    }

    /** The requests about {@code hook} the receiver got (test events name their webhook). */
    static List<WebhookReceiver.Received> receivedFor(Hook hook) {
        return receiver.all().stream()
                .filter(r ->
                        hook.id().equals(r.body().path("data").path("webhook").asText()))
                .toList();
    }

    String stored(String endpoint) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select secret from webhook_endpoint where id = ?")) {
            ps.setObject(1, UUID.fromString(endpoint));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    void store(String endpoint, String value) throws SQLException {
        storeSecret(dataSource, endpoint, value);
    }

    /** Writes an endpoint's stored secret column as it is, behind the platform's back. */
    static void storeSecret(javax.sql.DataSource dataSource, String endpoint, String value) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update webhook_endpoint set secret = ? where id = ?")) {
            ps.setString(1, value);
            ps.setObject(2, UUID.fromString(endpoint));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void shouldStoreNoSecretInTheColumnYetSignWithTheOneReturnedAtCreation() throws Exception {
        String tenant = Api.uniqueTenant("wh-rest");
        String admin = Api.createTenant(tenant);
        Hook hook = register(tenant, admin);
        receiver.expect(tenant, hook.secret());

        String stored = stored(hook.id());
        assertThat(stored)
                .startsWith("v1:")
                .doesNotContain(hook.secret())
                .doesNotContain(hook.secret().substring("whsec_".length()));
        assertThat(Api.as(admin).get(hook.path()).asString())
                .as("never shown after creation")
                .doesNotContain(hook.secret())
                .doesNotContain(stored);

        String delivery = sendTest(admin, hook);
        awaitDelivered(admin, hook, delivery);
        assertThat(receivedFor(hook)).hasSize(1).allMatch(WebhookReceiver.Received::verified, "signature verifies");
    }

    @Test
    void shouldFailTheDeliveryOfAnEndpointWhoseStoredSecretWasCopiedFromAnotherEndpoint() throws Exception {
        String ta = Api.uniqueTenant("wh-copy-a");
        String adminA = Api.createTenant(ta);
        Hook source = register(ta, adminA);
        Hook sameTenant = register(ta, adminA);
        String tb = Api.uniqueTenant("wh-copy-b");
        String adminB = Api.createTenant(tb);
        Hook otherTenant = register(tb, adminB);
        receiver.expect(ta, source.secret());
        // an attacker with write access to the table, or a restore gone wrong: one tenant's secret in other rows
        store(sameTenant.id(), stored(source.id()));
        store(otherTenant.id(), stored(source.id()));

        String toSame = sendTest(adminA, sameTenant);
        String toOther = sendTest(adminB, otherTenant);
        String toSource = sendTest(adminA, source);

        awaitDelivered(adminA, source, toSource);
        await().atMost(WAIT)
                .until(() -> delivery(adminA, sameTenant, toSame).get("lastAttemptAt") != null
                        && delivery(adminB, otherTenant, toOther).get("lastAttemptAt") != null);
        for (Map<String, Object> failed :
                List.of(delivery(adminA, sameTenant, toSame), delivery(adminB, otherTenant, toOther))) {
            assertThat(failed)
                    .containsEntry("lastError", "the signing secret does not decrypt for this endpoint")
                    .containsEntry("status", "pending");
            assertThat(failed.get("lastStatusCode")).as("nothing sent").isNull();
        }
        assertThat(receivedFor(sameTenant)).isEmpty();
        assertThat(receivedFor(otherTenant)).isEmpty();
        assertThat(receivedFor(source)).hasSize(1).allMatch(WebhookReceiver.Received::verified);
    }

    @Test
    void shouldEncryptASecretStoredInClearBeforeSigningWithIt() throws Exception {
        String tenant = Api.uniqueTenant("wh-legacy");
        String admin = Api.createTenant(tenant);
        // an endpoint as an earlier version wrote it: the secret in clear
        String clear = StandardWebhooks.newSecret();
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "insert into webhook_endpoint (id, tenant_id, url, events, "
                                + "secret, enabled, created_at, created_by) values (?, ?, ?, ?::jsonb, ?, true, ?, 'legacy')")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            ps.setString(3, receiver.url("/hooks/" + tenant));
            ps.setString(4, "[\"model.promoted\"]");
            ps.setString(5, clear);
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        Hook hook = new Hook(id.toString(), clear, Fixtures.base(tenant) + "/webhooks/" + id);
        receiver.expect(tenant, clear);

        // this node encrypted the clear secrets before its first delivery; this one came after: it is not used
        String refused = sendTest(admin, hook);
        await().atMost(WAIT).until(() -> delivery(admin, hook, refused).get("lastAttemptAt") != null);
        assertThat(delivery(admin, hook, refused))
                .containsEntry("lastError", "the signing secret is not stored encrypted");
        assertThat(receivedFor(hook)).isEmpty();

        assertThat(secrets.sealUnderCurrentKey()).isGreaterThanOrEqualTo(1);
        String stored = stored(hook.id());
        assertThat(stored).startsWith("v1:").doesNotContain(clear.substring("whsec_".length()));
        assertThat(secrets.sealUnderCurrentKey()).as("nothing left to encrypt").isZero();
        assertThat(stored(hook.id())).as("an encrypted secret is left alone").isEqualTo(stored);

        if (!Api.as(admin).get(hook.path()).then().extract().<Boolean>path("enabled")) {
            // a slow machine let the refused delivery fail five times in a row before the pass
            Api.as(admin).post(hook.path() + "/enable").then().statusCode(200);
        }
        awaitDelivered(admin, hook, refused);
        String again = sendTest(admin, hook);
        awaitDelivered(admin, hook, again);
        assertThat(receivedFor(hook)).hasSize(2).allMatch(WebhookReceiver.Received::verified, "signed with it");
    }

    /** The key the test profile lists in tenantml.webhooks.previous-secret-keys. */
    static final byte[] PREVIOUS_KEY = "tenantml tests' old webhook key.".getBytes(StandardCharsets.US_ASCII);

    /**
     * A key change: a secret stored under the previous key still signs, and the pass re-encrypts it under the
     * current key (so the previous key can be dropped); a value under a key given nowhere is left as it is.
     */
    @Test
    void shouldSignWithASecretStoredUnderThePreviousKeyAndReEncryptItUnderTheCurrentOne() throws Exception {
        String tenant = Api.uniqueTenant("wh-rotate");
        String admin = Api.createTenant(tenant);
        Hook hook = register(tenant, admin);
        Hook unknown = register(tenant, admin);
        receiver.expect(tenant, hook.secret());
        String current = SecretCipher.keyIdOf(stored(hook.id()));
        // as the platform stored them before its key changed
        SecretCipher previous = new SecretCipher(PREVIOUS_KEY);
        store(hook.id(), previous.seal(hook.secret(), new TenantId(tenant), UUID.fromString(hook.id())));
        byte[] other = new byte[32];
        new java.util.Random(20261130L).nextBytes(other);
        String underUnknownKey =
                new SecretCipher(other).seal(unknown.secret(), new TenantId(tenant), UUID.fromString(unknown.id()));
        store(unknown.id(), underUnknownKey);

        String first = sendTest(admin, hook);
        awaitDelivered(admin, hook, first);

        assertThat(secrets.sealUnderCurrentKey()).isGreaterThanOrEqualTo(1);
        assertThat(SecretCipher.keyIdOf(stored(hook.id()))).isEqualTo(current);
        assertThat(stored(unknown.id()))
                .as("under a key given nowhere: left alone")
                .isEqualTo(underUnknownKey);
        String second = sendTest(admin, hook);
        awaitDelivered(admin, hook, second);
        assertThat(receivedFor(hook)).hasSize(2).allMatch(WebhookReceiver.Received::verified, "signed with it");

        String refused = sendTest(admin, unknown);
        await().atMost(WAIT).until(() -> delivery(admin, unknown, refused).get("lastAttemptAt") != null);
        assertThat((String) delivery(admin, unknown, refused).get("lastError"))
                .startsWith("the signing secret cannot be decrypted");
        assertThat(receivedFor(unknown)).isEmpty();
    }
}
