package io.tenantml.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.webhooks.internal.SecretCipher;
import io.tenantml.webhooks.internal.WebhookSecrets;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant rotates an endpoint's signing secret: during the overlap every delivery carries the new secret's signature
 * and the replaced one's, so a receiver on either verifies it; after it only the new one's. The receiver (on a port of
 * this class's own, 18585) records each request; the tests verify its webhook-signature with each secret themselves.
 * Time is not waited for: the end of an overlap is written into the row, as a clock moved past it would see it.
 */
@QuarkusTest
class WebhookSecretRotationResourceTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String ROTATE = "/rotate-secret";

    static WebhookReceiver receiver;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    WebhookSecrets secrets;

    @BeforeAll
    static void startReceiver() {
        receiver = new WebhookReceiver(18585);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    record Hook(String tenant, String admin, String id, String secret, String path) {}

    static Hook register(String stem) {
        String tenant = Api.uniqueTenant(stem);
        String admin = Api.createTenant(tenant);
        Response r = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/hooks/" + tenant), "events", List.of("model.promoted")))
                .post(Fixtures.base(tenant) + "/webhooks");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        String id = r.path("id");
        return new Hook(tenant, admin, id, r.path("secret"), Fixtures.base(tenant) + "/webhooks/" + id);
    }

    static Response rotate(String admin, Hook hook, String body) {
        return Api.as(admin).contentType(ContentType.JSON).body(body).post(hook.path() + ROTATE);
    }

    static JsonPath rotated(Hook hook, String body) {
        Response r = rotate(hook.admin(), hook, body);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath();
    }

    /** Sends a test event to the endpoint and waits until it is delivered; the request the receiver got. */
    static WebhookReceiver.Received deliverTest(Hook hook) {
        Response queued = Api.as(hook.admin()).post(hook.path() + "/test");
        assertThat(queued.statusCode()).as(queued.asString()).isEqualTo(202);
        String delivery = queued.path("id");
        String event = queued.path("eventId");
        await().atMost(WAIT).until(() -> "delivered".equals(deliveryStatus(hook, delivery)));
        return receiver.all().stream()
                .filter(r -> event.equals(r.webhookId()))
                .reduce((first, second) -> second)
                .orElseThrow();
    }

    static String deliveryStatus(Hook hook, String delivery) {
        List<Map<String, Object>> items =
                Api.as(hook.admin()).get(hook.path() + "/deliveries?limit=1000").path("items");
        return items.stream()
                .filter(d -> delivery.equals(d.get("id")))
                .map(d -> (String) d.get("status"))
                .findFirst()
                .orElse(null);
    }

    static boolean verifies(WebhookReceiver.Received r, String secret) {
        return StandardWebhooks.verify(secret, r.webhookId(), r.timestamp(), r.raw(), r.signature());
    }

    static List<String> signatures(WebhookReceiver.Received r) {
        return Arrays.asList(r.signature().trim().split(" +"));
    }

    record Row(String secret, String previousSecret, Instant previousSecretExpiresAt) {}

    Row row(String endpoint) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select secret, previous_secret, previous_secret_expires_at "
                        + "from webhook_endpoint where id = ?")) {
            ps.setObject(1, UUID.fromString(endpoint));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                Timestamp until = rs.getTimestamp(3);
                return new Row(rs.getString(1), rs.getString(2), until == null ? null : until.toInstant());
            }
        }
    }

    void storePrevious(String endpoint, String value, Instant until) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update webhook_endpoint set previous_secret = ?, "
                        + "previous_secret_expires_at = ? where id = ?")) {
            ps.setString(1, value);
            ps.setTimestamp(2, Timestamp.from(until));
            ps.setObject(3, UUID.fromString(endpoint));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    void storeSecret(String endpoint, String value) throws SQLException {
        WebhookSecretAtRestResourceTest.storeSecret(dataSource, endpoint, value);
    }

    @Test
    void shouldSignWithTheNewAndTheReplacedSecretDuringTheOverlapAndOnlyTheNewOneAfterIt() throws Exception {
        Hook hook = register("wh-rot");
        assertThat(verifies(deliverTest(hook), hook.secret()))
                .as("before: the secret of the creation")
                .isTrue();

        JsonPath rotation = rotated(hook, "{\"overlap\": \"PT24H\"}");
        String fresh = rotation.getString("secret");
        Instant rotatedAt = Instant.parse(rotation.getString("rotatedAt"));
        Instant until = Instant.parse(rotation.getString("previousSecretExpiresAt"));
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(hook.secret());
        assertThat(StandardWebhooks.key(fresh)).hasSize(32);
        assertThat(rotation.getString("id")).isEqualTo(hook.id());
        assertThat(until).isEqualTo(rotatedAt.plus(Duration.ofHours(24)));
        String view = Api.as(hook.admin()).get(hook.path()).asString();
        assertThat(JsonPath.from(view).getString("previousSecretExpiresAt")).isEqualTo(until.toString());
        assertThat(view)
                .as("the view says until when, never a secret")
                .doesNotContain(fresh.substring("whsec_".length()))
                .doesNotContain(hook.secret().substring("whsec_".length()))
                .doesNotContain(row(hook.id()).secret())
                .doesNotContain(row(hook.id()).previousSecret());

        WebhookReceiver.Received during = deliverTest(hook);
        assertThat(signatures(during))
                .as("the new secret's signature, then the replaced one's")
                .hasSize(2);
        assertThat(verifies(during, fresh)).as("a receiver on the new secret").isTrue();
        assertThat(verifies(during, hook.secret()))
                .as("a receiver still on the replaced secret")
                .isTrue();
        assertThat(signatures(during).get(0))
                .isEqualTo(StandardWebhooks.sign(fresh, during.webhookId(), during.timestamp(), during.raw()));

        // The overlap is over: the row as a clock past its end sees it (the previous secret sealed for that expiry,
        // so that only the expiry keeps it from signing).
        Instant ended = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MICROS);
        storePrevious(
                hook.id(),
                secrets.sealPrevious(hook.secret(), new TenantId(hook.tenant()), UUID.fromString(hook.id()), ended),
                ended);
        WebhookReceiver.Received after = deliverTest(hook);
        assertThat(signatures(after)).as("only the new secret's").hasSize(1);
        assertThat(verifies(after, fresh)).isTrue();
        assertThat(verifies(after, hook.secret()))
                .as("the replaced secret signs no more")
                .isFalse();
        await().atMost(WAIT).until(() -> row(hook.id()).previousSecret() == null);
        assertThat(row(hook.id()).previousSecretExpiresAt())
                .as("forgotten by the delivery job")
                .isNull();
        assertThat(Api.as(hook.admin()).get(hook.path()).jsonPath().getString("previousSecretExpiresAt"))
                .isNull();
    }

    @Test
    void shouldKeepAtMostTwoSecretsWhenRotatingDuringAnOverlapAndSwitchAtOnceWithoutOne() throws Exception {
        Hook hook = register("wh-rot-twice");
        String second = rotated(hook, "{\"overlap\": \"PT24H\"}").getString("secret");
        JsonPath again = rotated(hook, "{\"overlap\": \"PT1H\"}");
        String third = again.getString("secret");

        WebhookReceiver.Received twice = deliverTest(hook);
        assertThat(signatures(twice)).hasSize(2);
        assertThat(verifies(twice, third)).isTrue();
        assertThat(verifies(twice, second))
                .as("the secret the second rotation replaced")
                .isTrue();
        assertThat(verifies(twice, hook.secret()))
                .as("the first secret, dropped by the second rotation")
                .isFalse();
        assertThat(Instant.parse(again.getString("previousSecretExpiresAt")))
                .isEqualTo(Instant.parse(again.getString("rotatedAt")).plus(Duration.ofHours(1)));

        JsonPath atOnce = rotated(hook, "{\"overlap\": \"PT0S\"}");
        String fourth = atOnce.getString("secret");
        assertThat(atOnce.getString("previousSecretExpiresAt"))
                .as("the replaced secret stops now")
                .isEqualTo(atOnce.getString("rotatedAt"));
        assertThat(row(hook.id()).previousSecret()).isNull();
        assertThat(Api.as(hook.admin()).get(hook.path()).jsonPath().getString("previousSecretExpiresAt"))
                .isNull();
        WebhookReceiver.Received switched = deliverTest(hook);
        assertThat(signatures(switched)).hasSize(1);
        assertThat(verifies(switched, fourth)).isTrue();
        assertThat(verifies(switched, third)).isFalse();
    }

    @Test
    void shouldRotateWithTheConfiguredOverlapWhenTheRequestHasNoBody() throws Exception {
        Hook hook = register("wh-rot-default");
        // as curl -X POST sends it: no body, no Content-Type (REST Assured would add a form's)
        HttpResponse<String> bare = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + hook.path() + ROTATE))
                                .header("Authorization", "Bearer " + hook.admin())
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(bare.statusCode()).as(bare.body()).isEqualTo(200);
        JsonPath rotation = JsonPath.from(bare.body());
        assertThat(rotation.getString("secret")).startsWith("whsec_");
        assertThat(Instant.parse(rotation.getString("previousSecretExpiresAt")))
                .as("tenantml.webhooks.secret-rotation-overlap: PT24H")
                .isEqualTo(Instant.parse(rotation.getString("rotatedAt")).plus(Duration.ofHours(24)));
        JsonPath empty = rotated(hook, "{}");
        assertThat(Instant.parse(empty.getString("previousSecretExpiresAt")))
                .isEqualTo(Instant.parse(empty.getString("rotatedAt")).plus(Duration.ofHours(24)));
    }

    @Test
    void shouldRefuseAnOverlapThatIsNegativeTooLongOrNotADurationNamingTheFieldAndChangeNothing() throws Exception {
        Hook hook = register("wh-rot-bad");
        Row before = row(hook.id());
        Map<String, String> refused = Map.of(
                "{\"overlap\": \"-PT1H\"}", "must not be negative",
                "{\"overlap\": \"P7DT0.001S\"}", "at most PT168H",
                "{\"overlap\": \"P8D\"}", "at most PT168H",
                "{\"overlap\": \"tomorrow\"}", "ISO-8601 duration",
                "{\"overlap\": \"\"}", "ISO-8601 duration",
                "{\"overlap\": 86400}", "ISO-8601 duration");
        refused.forEach((body, detail) -> {
            Response r = rotate(hook.admin(), hook, body);
            assertThat(r.statusCode()).as(body + " -> " + r.asString()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.<String>path("field")).as(body).isEqualTo("overlap");
            assertThat(r.<String>path("detail")).as(body).contains(detail);
        });
        Response unknown = rotate(hook.admin(), hook, "{\"overlap\": \"PT1H\", \"overlapp\": \"PT2H\"}");
        assertThat(unknown.statusCode()).as(unknown.asString()).isEqualTo(400);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.<String>path("detail")).contains("Unknown field 'overlapp'");
        Response tooLong = rotate(hook.admin(), hook, "{\"overlap\": \"PT" + "1".repeat(60) + "S\"}");
        assertThat(tooLong.statusCode()).as(tooLong.asString()).isEqualTo(400);
        assertThat(tooLong.<String>path("errors[0].field")).isEqualTo("overlap");

        assertThat(row(hook.id())).as("nothing rotated").isEqualTo(before);
        Response maximum = rotate(hook.admin(), hook, "{\"overlap\": \"P7D\"}");
        assertThat(maximum.statusCode())
                .as("the maximum itself: " + maximum.asString())
                .isEqualTo(200);
    }

    @Test
    void shouldAnswerNotFoundToAnotherTenantRotatingTheEndpointAndChangeNothing() throws Exception {
        Hook hook = register("wh-rot-victim");
        String attacker = Api.uniqueTenant("wh-rot-attacker");
        String attackerAdmin = Api.createTenant(attacker);
        Row before = row(hook.id());

        // the victim's endpoint id under the attacker's own tenant: the tenant's rows do not hold it
        Response own = Api.as(attackerAdmin)
                .contentType(ContentType.JSON)
                .body("{\"overlap\": \"PT0S\"}")
                .post(Fixtures.base(attacker) + "/webhooks/" + hook.id() + ROTATE);
        assertThat(own.statusCode()).as(own.asString()).isEqualTo(404);
        assertThat(own.contentType()).startsWith("application/problem+json");
        assertThat(own.asString()).doesNotContain("whsec_");
        // the victim's path with the attacker's key
        Response victims = Api.as(attackerAdmin)
                .contentType(ContentType.JSON)
                .body("{\"overlap\": \"PT0S\"}")
                .post(hook.path() + ROTATE);
        assertThat(victims.statusCode()).as(victims.asString()).isIn(403, 404);
        assertThat(victims.asString()).doesNotContain("whsec_");

        assertThat(row(hook.id())).as("the victim's secrets").isEqualTo(before);
        WebhookReceiver.Received r = deliverTest(hook);
        assertThat(signatures(r)).hasSize(1);
        assertThat(verifies(r, hook.secret())).isTrue();
        for (String[] tenant :
                List.of(new String[] {hook.tenant(), hook.admin()}, new String[] {attacker, attackerAdmin})) {
            assertThat(Api.as(tenant[1])
                            .get(Fixtures.base(tenant[0]) + "/audit?action=webhook.secret.rotated")
                            .jsonPath()
                            .getList("items"))
                    .as("no rotation on %s's audit trail", tenant[0])
                    .isEmpty();
        }
    }

    @Test
    void shouldRecordTheRotationOnTheAuditTrailWithoutASecret() {
        Hook hook = register("wh-rot-audit");
        JsonPath rotation = rotated(hook, "{\"overlap\": \"PT2H\"}");

        JsonPath trail = Api.as(hook.admin())
                .get(Fixtures.base(hook.tenant()) + "/audit?action=webhook.secret.rotated")
                .jsonPath();
        assertThat(trail.getList("items")).hasSize(1);
        assertThat(trail.getString("items[0].target")).isEqualTo("webhook=" + hook.id());
        assertThat(trail.getString("items[0].summary.overlap")).isEqualTo("PT2H");
        assertThat(trail.getString("items[0].summary.previousSecretExpiresAt"))
                .isEqualTo(rotation.getString("previousSecretExpiresAt"));
        assertThat(trail.getString("items[0].actor.kind")).isEqualTo("api-key");
        assertThat(trail.prettify())
                .doesNotContain(rotation.getString("secret").substring("whsec_".length()))
                .doesNotContain(hook.secret().substring("whsec_".length()));
    }

    @Test
    void shouldStoreTheReplacedSecretEncryptedBoundToItsColumnAndReEncryptItUnderANewKey() throws Exception {
        Hook hook = register("wh-rot-rest");
        String fresh = rotated(hook, "{\"overlap\": \"PT24H\"}").getString("secret");
        Row stored = row(hook.id());
        String currentKey = SecretCipher.keyIdOf(stored.secret());
        assertThat(stored.previousSecret())
                .startsWith("v1:" + currentKey + ":")
                .doesNotContain(hook.secret().substring("whsec_".length()))
                .doesNotContain(fresh.substring("whsec_".length()));

        // as the platform stored it before its key changed: the previous secret under the test profile's old key
        TenantId tenant = new TenantId(hook.tenant());
        UUID id = UUID.fromString(hook.id());
        storePrevious(
                hook.id(),
                new SecretCipher(WebhookSecretAtRestResourceTest.PREVIOUS_KEY)
                        .sealPrevious(hook.secret(), tenant, id, stored.previousSecretExpiresAt()),
                stored.previousSecretExpiresAt());
        WebhookReceiver.Received underOldKey = deliverTest(hook);
        assertThat(verifies(underOldKey, hook.secret()))
                .as("still signs under the previous key")
                .isTrue();
        assertThat(verifies(underOldKey, fresh)).isTrue();

        assertThat(secrets.sealUnderCurrentKey()).isGreaterThanOrEqualTo(1);
        Row resealed = row(hook.id());
        assertThat(SecretCipher.keyIdOf(resealed.previousSecret())).isEqualTo(currentKey);
        assertThat(resealed.previousSecretExpiresAt()).isEqualTo(stored.previousSecretExpiresAt());
        assertThat(resealed.secret())
                .as("already under the current key: left alone")
                .isEqualTo(stored.secret());
        WebhookReceiver.Received underNewKey = deliverTest(hook);
        assertThat(verifies(underNewKey, hook.secret())).isTrue();
        assertThat(verifies(underNewKey, fresh)).isTrue();
    }

    @Test
    void shouldNotSignWithTheReplacedSecretMovedIntoTheCurrentColumn() throws Exception {
        Hook hook = register("wh-rot-swap");
        rotated(hook, "{\"overlap\": \"PT24H\"}");
        Row stored = row(hook.id());
        // someone with write access to the table makes the replaced (maybe leaked) secret current again
        storeSecret(hook.id(), stored.previousSecret());

        Response queued = Api.as(hook.admin()).post(hook.path() + "/test");
        String delivery = queued.path("id");
        String event = queued.path("eventId");
        await().atMost(WAIT)
                .until(() -> Api.as(hook.admin())
                                .get(hook.path() + "/deliveries?limit=1000")
                                .jsonPath()
                                .getString("items.find { it.id == '" + delivery + "' }.lastAttemptAt")
                        != null);
        assertThat(Api.as(hook.admin())
                        .get(hook.path() + "/deliveries?limit=1000")
                        .jsonPath()
                        .getString("items.find { it.id == '" + delivery + "' }.lastError"))
                .isEqualTo("the signing secret does not decrypt for this endpoint");
        assertThat(receiver.all()).noneMatch(r -> event.equals(r.webhookId()));
    }

    /**
     * A current secret the platform cannot read (stored under a key it no longer has) cannot sign beside a new one:
     * an overlap is refused with 409 naming the way out, nothing changes, and an immediate switch (PT0S) replaces it.
     */
    @Test
    void shouldRefuseAnOverlapWhenTheCurrentSecretCannotBeReadAndReplaceItAtOnceWithPT0S() throws Exception {
        Hook hook = register("wh-rot-unread");
        String unreadable = "v1:gone-key:" + java.util.Base64.getEncoder().encodeToString(new byte[48]);
        storeSecret(hook.id(), unreadable);

        Response refused = rotate(hook.admin(), hook, "{\"overlap\": \"PT1H\"}");
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.<String>path("type")).endsWith("/webhook-secret-unreadable");
        assertThat(refused.<String>path("detail")).contains("PT0S");
        assertThat(row(hook.id()).secret()).as("nothing changed").isEqualTo(unreadable);

        String fresh = rotated(hook, "{\"overlap\": \"PT0S\"}").getString("secret");
        WebhookReceiver.Received delivered = deliverTest(hook);
        assertThat(signatures(delivered)).hasSize(1);
        assertThat(verifies(delivered, fresh)).isTrue();
    }
}
