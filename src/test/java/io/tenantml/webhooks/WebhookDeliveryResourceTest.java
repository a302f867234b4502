package io.tenantml.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end (issue 12, acceptance 3 and 6): receivers on allow-listed loopback ports verify every
 * signature; retries keep the webhook-id; internal addresses are refused at registration and at delivery,
 * redirects are not followed; endpoints are disabled after a run of failures (5 in the test profile).
 */
@QuarkusTest
class WebhookDeliveryResourceTest {

    static final Map<String, Object> PENGUINS = Fixtures.PENGUINS_SPECIES;
    static final Duration WAIT = Duration.ofSeconds(60);

    static WebhookReceiver a;
    static WebhookReceiver b;
    static WebhookReceiver redirector;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    io.tenantml.storage.BlobStore blobs;

    @BeforeAll
    static void startReceivers() {
        a = new WebhookReceiver(18580);
        b = new WebhookReceiver(18581);
        redirector = new WebhookReceiver(18583);
    }

    @AfterAll
    static void stopReceivers() {
        a.close();
        b.close();
        redirector.close();
    }

    @BeforeEach
    void answerOk() {
        a.answer(r -> WebhookReceiver.Answer.of(204));
        b.answer(r -> WebhookReceiver.Answer.of(204));
    }

    record Hook(String id, String secret, String path) {}

    static Hook register(String tenant, String admin, WebhookReceiver receiver, List<String> events) {
        Response r = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("url", receiver.url("/hooks/" + tenant), "events", events))
                .post(Fixtures.base(tenant) + "/webhooks");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        String secret = r.path("secret");
        assertThat(secret).startsWith("whsec_");
        receiver.expect(tenant, secret);
        String id = r.path("id");
        return new Hook(id, secret, Fixtures.base(tenant) + "/webhooks/" + id);
    }

    static Response test(String admin, Hook hook) {
        Response r = Api.as(admin).post(hook.path() + "/test");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        return r;
    }

    /** A delivery as the endpoint's log shows it. */
    static io.restassured.path.json.JsonPath delivery(String admin, Hook hook, String delivery) {
        Response r = Api.as(admin).get(hook.path() + "/deliveries?limit=1000");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        List<Map<String, Object>> items = r.path("items");
        Map<String, Object> found = items.stream()
                .filter(d -> delivery.equals(d.get("id")))
                .findFirst()
                .orElseThrow();
        try {
            return io.restassured.path.json.JsonPath.from(
                    new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(found));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldDeliverOnTheFourthAttemptWithTheSameWebhookIdWhenTheFirstThreeFail() {
        String tenant = Api.uniqueTenant("wh-retry");
        String admin = Api.createTenant(tenant);
        Hook hook = register(tenant, admin, a, List.of("training.succeeded"));
        a.answer(r -> r.tenant().equals(tenant) && a.of(tenant).size() <= 3
                ? new WebhookReceiver.Answer(
                        500, Map.of(), "not yet, attempt " + a.of(tenant).size())
                : WebhookReceiver.Answer.of(204));

        Response queued = test(admin, hook);
        String delivery = queued.path("id");
        String event = queued.path("eventId");
        assertThat(queued.<String>path("eventType")).isEqualTo("test");

        await().atMost(WAIT)
                .until(() -> "delivered".equals(delivery(admin, hook, delivery).getString("status")));
        io.restassured.path.json.JsonPath done = delivery(admin, hook, delivery);
        assertThat(done.<Integer>get("attempts")).isEqualTo(4);
        assertThat(done.<Integer>get("lastStatusCode")).isEqualTo(204);
        assertThat(done.<Integer>get("lastLatencyMs")).isNotNull();
        List<WebhookReceiver.Received> got = a.of(tenant);
        assertThat(got).hasSize(4);
        assertThat(got).extracting(WebhookReceiver.Received::webhookId).containsOnly(event);
        assertThat(got).allMatch(WebhookReceiver.Received::verified, "signature verifies");
        assertThat(got).extracting(WebhookReceiver.Received::type).containsOnly("test");
        assertThat(Api.as(admin)
                        .get(hook.path())
                        .then()
                        .statusCode(200)
                        .extract()
                        .<Integer>path("consecutiveFailures"))
                .as("a success ends the run of failures")
                .isZero();
    }

    @Test
    void shouldSendEachTenantOnlyItsOwnEventsSignedWithItsOwnSecret() {
        String ta = Api.uniqueTenant("wh-a");
        String tb = Api.uniqueTenant("wh-b");
        String adminA = Api.createTenant(ta);
        String adminB = Api.createTenant(tb);
        List<String> events = List.of(
                "training.succeeded",
                "training.rejected",
                "training.failed",
                "model.promoted",
                "model.rolled_back",
                "quota.exceeded");
        register(ta, adminA, a, events);
        register(tb, adminB, b, events);

        // A: two accepted versions without auto-promotion, then production set to 2 and moved back to 1
        Fixtures.uploadResource(ta, adminA, "penguins", "penguins.json");
        Fixtures.defineModel(ta, adminA, "species", PENGUINS, false);
        assertThat(Fixtures.train(ta, adminA, "species")).isEqualTo(1);
        assertThat(Fixtures.train(ta, adminA, "species")).isEqualTo(2);
        moveProduction(ta, adminA, 2);
        moveProduction(ta, adminA, 1);
        // B: one auto-promoted version, then a second model refused by the plan's limit of one model
        Fixtures.uploadResource(tb, adminB, "penguins", "penguins.json");
        Fixtures.defineModel(tb, adminB, "species", PENGUINS, true);
        assertThat(Fixtures.train(tb, adminB, "species")).isEqualTo(1);
        Fixtures.plan(tb, Map.of("models", 1));
        assertThat(Fixtures.putModel(tb, adminB, "second", PENGUINS).statusCode())
                .isEqualTo(409);

        await().atMost(WAIT).until(() -> a.of(ta).size() >= 4 && b.of(tb).size() >= 3);
        assertThat(a.of(ta))
                .extracting(WebhookReceiver.Received::type)
                .containsExactlyInAnyOrder(
                        "training.succeeded", "training.succeeded", "model.promoted", "model.rolled_back");
        assertThat(b.of(tb))
                .extracting(WebhookReceiver.Received::type)
                .containsExactlyInAnyOrder("training.succeeded", "model.promoted", "quota.exceeded");
        assertThat(a.of(tb)).as("B's events at A's receiver").isEmpty();
        assertThat(b.of(ta)).as("A's events at B's receiver").isEmpty();
        assertThat(a.of(ta)).allMatch(WebhookReceiver.Received::verified, "A's signatures verify with A's secret");
        assertThat(b.of(tb)).allMatch(WebhookReceiver.Received::verified, "B's signatures verify with B's secret");
        WebhookReceiver.Received rolledBack = a.of(ta).stream()
                .filter(r -> r.type().equals("model.rolled_back"))
                .findFirst()
                .orElseThrow();
        assertThat(rolledBack.body().path("data").path("from").asInt()).isEqualTo(2);
        assertThat(rolledBack.body().path("data").path("to").asInt()).isEqualTo(1);
        WebhookReceiver.Received quota = b.of(tb).stream()
                .filter(r -> r.type().equals("quota.exceeded"))
                .findFirst()
                .orElseThrow();
        assertThat(quota.body().path("data").path("limit").asText()).isEqualTo("models");
    }

    @Test
    void shouldSendTrainingFailedWithTheRunsErrorWhenATrainingFails() throws Exception {
        String tenant = Api.uniqueTenant("wh-fail");
        String admin = Api.createTenant(tenant);
        register(tenant, admin, a, List.of("training.failed"));
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        Fixtures.defineModel(tenant, admin, "species", PENGUINS, true);
        assertThat(Fixtures.train(tenant, admin, "species")).isEqualTo(1);
        // the champion's file changed on disk: the next training refuses it and fails (model-file-refused)
        io.tenantml.shared.TenantId id = new io.tenantml.shared.TenantId(tenant);
        io.tenantml.storage.BlobKey file = blobs.list(id, "models/species/").getFirst();
        byte[] bytes;
        try (var in = blobs.open(id, file).orElseThrow()) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length / 2] ^= 1;
        blobs.put(id, file, new java.io.ByteArrayInputStream(bytes));
        String training = Fixtures.startTraining(tenant, admin, "species");
        Response ended = Fixtures.awaitEnd(admin, Fixtures.trainingPath(tenant, training));
        assertThat(ended.<String>path("status")).isEqualTo("failed");

        await().atMost(WAIT).until(() -> a.of(tenant).size() == 1);
        WebhookReceiver.Received failed = a.of(tenant).getFirst();
        assertThat(failed.type()).isEqualTo("training.failed");
        assertThat(failed.verified()).isTrue();
        assertThat(failed.body().path("data").path("training").asText()).isEqualTo(training);
        assertThat(failed.body().path("data").path("errorCode").asText()).isEqualTo("model-file-refused");
    }

    private static void moveProduction(String tenant, String admin, int version) {
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("version", version))
                .put(Fixtures.base(tenant) + "/models/species/aliases/production")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldRefuseLoopbackMetadataAndPrivateAddressesAtRegistrationNamingTheUrl() {
        String tenant = Api.uniqueTenant("wh-ssrf");
        String admin = Api.createTenant(tenant);
        for (String url : List.of(
                "http://127.0.0.1:8080/hook",
                "http://169.254.169.254/latest/meta-data/",
                "http://[::ffff:127.0.0.1]:18580/hook",
                "http://[::1]:18580/hook",
                "http://localhost:18580/hook",
                "http://10.0.0.8/hook",
                "http://0.0.0.0:18580/hook",
                "file:///etc/passwd")) {
            Response r = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("url", url, "events", List.of("model.promoted")))
                    .post(Fixtures.base(tenant) + "/webhooks");
            assertThat(r.statusCode()).as(url + " " + r.asString()).isEqualTo(422);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.<String>path("field")).as(url).isEqualTo("url");
        }
        Response badEvent = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("url", a.url("/x"), "events", List.of("model.promoted", "model.exploded")))
                .post(Fixtures.base(tenant) + "/webhooks");
        assertThat(badEvent.statusCode()).isEqualTo(422);
        assertThat(badEvent.<String>path("field")).isEqualTo("events[1]");
        Response badSecret = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("url", a.url("/x"), "events", List.of("model.promoted"), "secret", "whsec_c2hvcnQ="))
                .post(Fixtures.base(tenant) + "/webhooks");
        assertThat(badSecret.statusCode()).isEqualTo(422);
        assertThat(badSecret.<String>path("field")).isEqualTo("secret");
        assertThat(Api.as(admin)
                        .get(Fixtures.base(tenant) + "/webhooks")
                        .then()
                        .statusCode(200)
                        .extract()
                        .<List<?>>path("items"))
                .as("nothing registered")
                .isEmpty();
    }

    @Test
    void shouldNotFollowARedirectIntoTheMetadataAddressOrAnotherReceiver() {
        String tenant = Api.uniqueTenant("wh-redirect");
        String admin = Api.createTenant(tenant);
        Hook hook = register(tenant, admin, redirector, List.of("model.promoted"));
        redirector.answer(r -> new WebhookReceiver.Answer(
                r.tenant().equals(tenant) && redirector.of(tenant).size() == 1 ? 302 : 307,
                Map.of(
                        "Location",
                        redirector.of(tenant).size() == 1
                                ? "http://169.254.169.254/latest/meta-data/"
                                : b.url("/stolen/" + tenant)),
                ""));
        String delivery = test(admin, hook).path("id");

        await().atMost(WAIT)
                .until(() -> delivery(admin, hook, delivery).<Integer>get("attempts") >= 2
                        && delivery(admin, hook, delivery).get("lastStatusCode") != null
                        && redirector.of(tenant).size() >= 2);
        await().atMost(WAIT)
                .until(() -> String.valueOf(delivery(admin, hook, delivery).getString("lastError"))
                        .contains("127.0.0.1:18581"));
        io.restassured.path.json.JsonPath log = delivery(admin, hook, delivery);
        assertThat(log.getString("status")).isEqualTo("pending");
        assertThat(log.getString("lastError")).startsWith("redirect not followed (HTTP 307");
        assertThat(b.of(tenant)).as("the receiver redirected to").isEmpty();
        assertThat(redirector.of(tenant)).allMatch(WebhookReceiver.Received::verified);
    }

    @Test
    void shouldGiveUpOnAReceiverThatTricklesItsAnswerWithinTheTimeouts() {
        String tenant = Api.uniqueTenant("wh-slow");
        String admin = Api.createTenant(tenant);
        Hook hook = register(tenant, admin, b, List.of("model.promoted"));
        // headers at once, then one byte a second for a minute: only the timeouts (1 s + 2 s here) end it
        b.answer(r -> r.tenant().equals(tenant)
                ? new WebhookReceiver.Answer(200, Map.of(), "y".repeat(60), 1000)
                : WebhookReceiver.Answer.of(204));
        String delivery = test(admin, hook).path("id");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> delivery(admin, hook, delivery).get("lastError") != null);
        io.restassured.path.json.JsonPath log = delivery(admin, hook, delivery);
        assertThat(log.getString("lastError")).isEqualTo("no complete answer within the timeouts");
        assertThat(log.getString("status")).isEqualTo("pending");
        assertThat(log.<Integer>get("lastLatencyMs")).isBetween(3000, 15000);
    }

    @Test
    void shouldRefuseAtDeliveryAnEndpointWhoseAddressIsNowInternal() throws Exception {
        String tenant = Api.uniqueTenant("wh-rebind");
        String admin = Api.createTenant(tenant);
        Hook hook = register(tenant, admin, a, List.of("model.promoted"));
        // as if its DNS name now resolved to the metadata address: the registration check is long past
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update webhook_endpoint set url = ? where tenant_id = ?")) {
            ps.setString(1, "http://169.254.169.254/latest/meta-data/");
            ps.setString(2, tenant);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        String delivery = test(admin, hook).path("id");

        await().atMost(WAIT).until(() -> delivery(admin, hook, delivery).get("lastError") != null);
        io.restassured.path.json.JsonPath log = delivery(admin, hook, delivery);
        assertThat(log.getString("lastError")).startsWith("refused: ").contains("169.254.169.254", "link-local");
        assertThat(log.<Integer>get("lastStatusCode")).isNull();
        assertThat(a.of(tenant)).isEmpty();
    }

    @Test
    void shouldDisableAfterFiveFailuresInARowThenDeliverOnceEnabledAndRedeliverWithTheSameId() {
        String tenant = Api.uniqueTenant("wh-disable");
        String admin = Api.createTenant(tenant);
        Hook hook = register(tenant, admin, a, List.of("model.promoted"));
        a.answer(r -> r.tenant().equals(tenant)
                ? new WebhookReceiver.Answer(503, Map.of(), "x".repeat(5000))
                : WebhookReceiver.Answer.of(204));
        Response queued = test(admin, hook);
        String delivery = queued.path("id");
        String event = queued.path("eventId");

        await().atMost(WAIT)
                .until(() -> !Api.as(admin).get(hook.path()).then().extract().<Boolean>path("enabled"));
        Response endpoint = Api.as(admin).get(hook.path());
        assertThat(endpoint.<Integer>path("consecutiveFailures")).isEqualTo(5);
        assertThat(endpoint.<String>path("disabledReason")).startsWith("5 delivery attempts in a row failed");
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> delivery(admin, hook, delivery).<Integer>get("attempts") == 5);
        io.restassured.path.json.JsonPath log = delivery(admin, hook, delivery);
        assertThat(log.getString("status")).isEqualTo("pending");
        assertThat(log.getString("responseExcerpt"))
                .as("only an excerpt is kept")
                .hasSize(200);
        assertThat(a.of(tenant)).hasSize(5);
        Api.as(admin)
                .post(hook.path() + "/deliveries/" + delivery + "/redeliver")
                .then()
                .statusCode(409);

        a.answer(r -> WebhookReceiver.Answer.of(200));
        Api.as(admin).post(hook.path() + "/enable").then().statusCode(200);
        await().atMost(WAIT)
                .until(() -> "delivered".equals(delivery(admin, hook, delivery).getString("status")));
        assertThat(delivery(admin, hook, delivery).<Integer>get("attempts")).isEqualTo(6);

        Api.as(admin)
                .post(hook.path() + "/deliveries/" + delivery + "/redeliver")
                .then()
                .statusCode(202);
        await().atMost(WAIT)
                .until(() -> a.of(tenant).size() == 7
                        && "delivered".equals(delivery(admin, hook, delivery).getString("status")));
        assertThat(a.of(tenant)).extracting(WebhookReceiver.Received::webhookId).containsOnly(event);
        assertThat(a.of(tenant)).allMatch(WebhookReceiver.Received::verified);
        Api.as(admin)
                .post(hook.path() + "/deliveries/" + java.util.UUID.randomUUID() + "/redeliver")
                .then()
                .statusCode(404);
    }

    @Test
    void shouldPageTheDeliveryLogAndForgetEverythingWhenTheTenantLeaves() throws Exception {
        String tenant = Api.uniqueTenant("wh-leave");
        String admin = Api.createTenant(tenant);
        Hook hook = register(tenant, admin, a, List.of("model.promoted"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(test(admin, hook).path("id"));
        }
        await().atMost(WAIT).until(() -> a.of(tenant).size() == 3);
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            Response page = Api.as(admin)
                    .get(hook.path() + "/deliveries?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            paged.addAll(page.path("items.id"));
            cursor = page.path("next");
        } while (cursor != null);
        // newest first, like every run-like list (the console's "latest deliveries" is the first page)
        assertThat(paged).containsExactlyElementsOf(ids.reversed());

        Api.asOperator().delete("/api/v1/tenants/" + tenant).then().statusCode(204);
        Map<String, Integer> left = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String table : List.of("webhook_endpoint", "webhook_delivery", "tenant_event")) {
                try (PreparedStatement ps =
                        c.prepareStatement("select count(*) from " + table + " where tenant_id = ?")) {
                    ps.setString(1, tenant);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        left.put(table, rs.getInt(1));
                    }
                }
            }
        }
        assertThat(left)
                .containsOnly(
                        Map.entry("webhook_endpoint", 0),
                        Map.entry("webhook_delivery", 0),
                        Map.entry("tenant_event", 0));
    }
}
