package io.tenantml.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.shared.PageRequest;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.Pages;
import io.tenantml.webhooks.WebhookReceiver;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GET /tenants/{t}/events: the tenant's outbox as a feed, newest first, keyset-paged, filtered by type and time,
 * each event as its webhook delivery carries it, and only ever the caller's own tenant's.
 */
@QuarkusTest
class EventFeedResourceTest {

    /** Allow-listed for webhooks in the test profile; no other test listens on it. */
    private static final int RECEIVER_PORT = 18586;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldShowEventsNewestFirstAfterTheActionsThatPublishThemAsTheirWebhookDeliveriesCarryThem() throws Exception {
        String tenant = Api.uniqueTenant("feed");
        String admin = Api.createTenant(tenant);
        String events = Fixtures.base(tenant) + "/events";
        assertThat(Pages.walk(Api.as(admin), events, 50))
                .as("a new tenant's feed")
                .isEmpty();

        try (WebhookReceiver receiver = new WebhookReceiver(RECEIVER_PORT)) {
            Response hook = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "url",
                            receiver.url("/feed"),
                            "events",
                            List.of("training.succeeded", "model.promoted", "quota.exceeded")))
                    .post(Fixtures.base(tenant) + "/webhooks");
            assertThat(hook.statusCode()).as(hook.asString()).isEqualTo(201);
            receiver.expect(tenant, hook.path("secret"));

            // a training that passes its gate and is promoted, then a model refused by a plan of one model
            Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
            Fixtures.defineModel(tenant, admin, "species", Fixtures.PENGUINS_SPECIES, true);
            String training = Fixtures.startTraining(tenant, admin, "species");
            Response trained = Fixtures.awaitEnd(admin, Fixtures.trainingPath(tenant, training));
            assertThat(trained.<String>path("status")).as(trained.asString()).isEqualTo("succeeded");
            Fixtures.plan(tenant, Map.of("models", 1));
            assertThat(Fixtures.putModel(tenant, admin, "second", Fixtures.PENGUINS_SPECIES)
                            .statusCode())
                    .isEqualTo(409);

            List<Map<String, Object>> feed = Pages.walk(Api.as(admin), events, 50);
            assertThat(feed)
                    .extracting(e -> e.get("type"))
                    .containsExactlyInAnyOrder("training.succeeded", "model.promoted", "quota.exceeded");
            assertThat(feed.get(0).get("type")).as("the refusal came last").isEqualTo("quota.exceeded");
            assertNewestFirst(feed);
            Map<String, Object> succeeded = only(feed, "training.succeeded");
            assertThat(data(succeeded))
                    .containsEntry("tenant", tenant)
                    .containsEntry("model", "species")
                    .containsEntry("training", training)
                    .containsEntry("version", 1)
                    .containsEntry("promoted", true);
            assertThat(data(only(feed, "model.promoted")))
                    .containsEntry("tenant", tenant)
                    .containsEntry("alias", "production")
                    .containsEntry("to", 1);
            assertThat(data(only(feed, "quota.exceeded")))
                    .containsEntry("tenant", tenant)
                    .containsEntry("limit", "models")
                    .containsEntry("max", 1);
            for (Map<String, Object> event : feed) {
                assertThat(Api.as(admin)
                                .get(events + "/" + event.get("id"))
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .<String, Object>getMap(""))
                        .as("GET of one event answers it as the list does")
                        .isEqualTo(event);
            }

            // each delivery carries the event the feed shows: same id, type, time and data, member for member
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> receiver.of(tenant).size() >= 3);
            assertThat(receiver.of(tenant)).hasSize(3);
            for (WebhookReceiver.Received delivered : receiver.of(tenant)) {
                JsonNode shown = JSON.readTree(Api.as(admin)
                        .get(events + "/" + delivered.webhookId())
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
                assertThat(shown.path("type")).isEqualTo(delivered.body().path("type"));
                assertThat(shown.path("occurredAt")).isEqualTo(delivered.body().path("timestamp"));
                assertThat(shown.path("data")).isEqualTo(delivered.body().path("data"));
            }
        }
    }

    @Test
    void shouldWalkEveryEventOnceInPagesNewestFirstEvenWhenEventsShareAnInstant() throws Exception {
        String tenant = Api.uniqueTenant("feedpages");
        String admin = Api.createTenant(tenant);
        String events = Fixtures.base(tenant) + "/events";
        // 11 events, four at each of two instants and three alone: a keyset on time alone would skip or repeat
        // events at a page boundary inside a group of equal times
        Instant t = Instant.parse("2025-03-01T10:00:00Z");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            Instant at = i < 4 ? t : i < 8 ? t.plusSeconds(60) : t.plusSeconds(120 + i);
            rows.add(insert(tenant, i % 2 == 0 ? "training.failed" : "quota.exceeded", at, Map.of("n", i)));
        }
        List<String> expected = newestFirst(rows);

        for (int limit : List.of(1, 2, 3, 4, 1000)) {
            assertThat(Pages.walk(Api.as(admin), events, limit))
                    .extracting(e -> (String) e.get("id"))
                    .as("pages of %d", limit)
                    .containsExactlyElementsOf(expected);
        }
        // ceil(11 / 3) = 4 pages, the last with 2; an event added while walking (newer than all) is not seen by
        // the walk, which goes on where it was, and every event seen is seen once
        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = Pages.page(Api.as(admin), events, 3, cursor);
            walked.addAll(page.getList("items.id"));
            cursor = page.getString("next");
            pages++;
            if (pages == 1) {
                insert(tenant, "test", Instant.now(), Map.of("n", 99));
            }
        } while (cursor != null && pages < 20);
        assertThat(pages).isEqualTo(4);
        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(Pages.walk(Api.as(admin), events, 5)).hasSize(12);
    }

    /**
     * A client that polls the feed oldest first instead of receiving webhooks sees every event once, in the order
     * their transactions began to matter: an event whose transaction is still open holds back the events after it,
     * so one that commits late is never behind the position the client has already read.
     */
    @Test
    void shouldServeAPollerEveryEventOnceOldestFirstEvenOneThatCommitsAfterALaterOne() throws Exception {
        String tenant = Api.uniqueTenant("feedpoll");
        String admin = Api.createTenant(tenant);
        String events = Fixtures.base(tenant) + "/events?order=oldest-first";
        Row first = insert(tenant, "test", Instant.now(), Map.of("n", 0));
        String[] position = {null};
        await("the first event, once its transaction is older than every open one")
                .atMost(Duration.ofSeconds(30))
                .until(() -> !poll(admin, events, position).isEmpty());
        assertThat(poll(admin, events, new String[] {null}))
                .containsExactly(first.id().toString());

        Row late;
        Row later;
        try (Connection open = dataSource.getConnection()) {
            open.setAutoCommit(false);
            open.createStatement().execute("select pg_current_xact_id()"); // the transaction has its id now
            later = insert(tenant, "test", Instant.now(), Map.of("n", 1));
            String before = position[0];
            assertThat(poll(admin, events, position))
                    .as("an event after one whose transaction is open waits for it")
                    .isEmpty();
            assertThat(position[0]).as("an empty poll keeps the position").isEqualTo(before);
            late = insert(open, tenant, "test", Instant.now(), Map.of("n", 2));
            open.commit();
        }
        List<String> seen = new ArrayList<>();
        await("both events, the late one first").atMost(Duration.ofSeconds(30)).until(() -> {
            seen.addAll(poll(admin, events, position));
            return seen.size() >= 2;
        });
        assertThat(seen).containsExactly(late.id().toString(), later.id().toString());
        assertThat(poll(admin, events, position)).as("each once").isEmpty();

        Api.as(admin)
                .get(Fixtures.base(tenant) + "/events?order=sideways")
                .then()
                .statusCode(400)
                .body("parameter", org.hamcrest.Matchers.equalTo("order"));
    }

    /** One poll of the oldest-first feed from {@code position[0]}; moves the position to the answer's next. */
    private static List<String> poll(String admin, String events, String[] position) {
        JsonPath page = Api.as(admin)
                .get(events + (position[0] == null ? "" : "&cursor=" + position[0]))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        position[0] = page.getString("next");
        return page.getList("items.id");
    }

    @Test
    void shouldFilterByTypesAndTimeAlsoAcrossPages() throws Exception {
        String tenant = Api.uniqueTenant("feedfilter");
        String admin = Api.createTenant(tenant);
        String events = Fixtures.base(tenant) + "/events";
        Instant day = Instant.parse("2025-03-01T00:00:00Z");
        // per type one event an hour apart, from 2025-03-01T00:00 to 2025-03-02T23:00: 48 hours x 3 types
        List<Row> rows = new ArrayList<>();
        List<String> types = List.of("training.succeeded", "model.promoted", "monitoring.drift");
        for (int h = 0; h < 48; h++) {
            for (String type : types) {
                rows.add(insert(tenant, type, day.plus(Duration.ofHours(h)), Map.of("hour", h)));
            }
        }

        assertThat(ids(admin, events + "?type=model.promoted&limit=1000"))
                .containsExactlyElementsOf(newestFirst(rows, r -> r.type.equals("model.promoted")));
        List<String> twoTypes = newestFirst(rows, r -> !r.type.equals("monitoring.drift"));
        assertThat(ids(admin, events + "?type=model.promoted&type=training.succeeded&limit=1000"))
                .as("type repeated")
                .containsExactlyElementsOf(twoTypes);
        assertThat(ids(admin, events + "?type=model.promoted,training.succeeded&limit=1000"))
                .as("types comma-separated")
                .containsExactlyElementsOf(twoTypes);
        // from inclusive, to exclusive: [10:00, 13:00) of the first day is hours 10, 11 and 12
        assertThat(ids(admin, events + "?from=2025-03-01T10:00:00Z&to=2025-03-01T13:00:00Z&limit=1000"))
                .containsExactlyElementsOf(newestFirst(rows, r -> r.hour() >= 10 && r.hour() < 13))
                .hasSize(9);
        // dates are their UTC midnight: from the second day on is hours 24..47
        assertThat(ids(admin, events + "?from=2025-03-02&type=monitoring.drift&limit=1000"))
                .containsExactlyElementsOf(newestFirst(rows, r -> r.hour() >= 24 && r.type.equals("monitoring.drift")))
                .hasSize(24);
        // the filter is sent with every page: pages of 7 of the 2 types over hours [5, 30) walk 50 events once
        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = Api.as(admin)
                    .queryParam("type", "model.promoted,training.succeeded")
                    .queryParam("from", "2025-03-01T05:00:00Z")
                    .queryParam("to", "2025-03-02T06:00:00Z")
                    .queryParam("limit", 7)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .get(events)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            walked.addAll(page.getList("items.id"));
            cursor = page.getString("next");
        } while (cursor != null && walked.size() < 1000);
        assertThat(walked)
                .hasSize(50)
                .containsExactlyElementsOf(
                        newestFirst(rows, r -> !r.type.equals("monitoring.drift") && r.hour() >= 5 && r.hour() < 30));
    }

    @Test
    void shouldRefuseBadFiltersWithAProblemNamingTheParameter() {
        String tenant = Api.uniqueTenant("feedbad");
        String admin = Api.createTenant(tenant);
        String events = Fixtures.base(tenant) + "/events";
        Map<String, String> bad = Map.ofEntries(
                Map.entry("type=training.exploded", "type"),
                Map.entry("type=training.succeeded&type=TRAINING_FAILED", "type"),
                Map.entry("type=training.succeeded,", "type"),
                Map.entry("from=yesterday", "from"),
                Map.entry("from=2025-02-30", "from"),
                Map.entry("to=2025-03-01T25:00:00Z", "to"),
                Map.entry("to=+1000000000-01-01T00:00:00Z", "to"),
                Map.entry("from=2025-03-02&to=2025-03-01", "to"),
                Map.entry("from=2025-03-01&to=2025-03-01", "to"),
                Map.entry("limit=0", "limit"),
                Map.entry("cursor=garbage!", "cursor"));
        for (Map.Entry<String, String> query : bad.entrySet()) {
            Response r = Api.as(admin).get(events + "?" + query.getKey());
            assertThat(r.statusCode()).as(query.getKey() + ": " + r.asString()).isEqualTo(400);
            assertThat(r.contentType()).as(query.getKey()).startsWith("application/problem+json");
            assertThat(r.<String>path("parameter")).as(query.getKey()).isEqualTo(query.getValue());
            assertThat(r.<String>path("detail")).as(query.getKey()).contains(query.getValue());
        }
        // another list's cursor is not one of this list
        String otherList = PageRequest.cursor(
                "trainings", List.of(Instant.now().toString(), UUID.randomUUID().toString()));
        Api.as(admin).get(events + "?cursor=" + otherList).then().statusCode(400);
        Api.as(admin).get(events + "/not-an-id").then().statusCode(404);
        Api.as(admin).get(events + "/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void shouldShowEachTenantOnlyItsOwnEventsAndAnswer404ForAnotherTenantsFeed() throws Exception {
        String a = Api.uniqueTenant("feeda");
        String b = Api.uniqueTenant("feedb");
        String adminA = Api.createTenant(a);
        String adminB = Api.createTenant(b);
        // the same event types in both: a real quota refusal each (a plan of no dataset), and events of other types
        for (String[] t : List.of(new String[] {a, adminA}, new String[] {b, adminB})) {
            Fixtures.plan(t[0], Map.of("datasets", 0));
            assertThat(Api.as(t[1])
                            .contentType(ContentType.JSON)
                            .body("{}")
                            .put(Fixtures.base(t[0]) + "/datasets/refused")
                            .statusCode())
                    .isEqualTo(409);
            for (int i = 0; i < 3; i++) {
                insert(t[0], "model.promoted", Instant.now(), Map.of("model", "species", "to", i));
            }
        }
        List<Map<String, Object>> feedA = Pages.walk(Api.as(adminA), Fixtures.base(a) + "/events", 2);
        List<Map<String, Object>> feedB = Pages.walk(Api.as(adminB), Fixtures.base(b) + "/events", 2);
        assertThat(feedA).extracting(e -> e.get("type")).containsOnly("quota.exceeded", "model.promoted");
        assertThat(feedA).hasSize(4);
        assertThat(feedB).hasSize(4);
        assertThat(feedA).extracting(e -> data(e).get("tenant")).containsOnly(a);
        assertThat(feedB).extracting(e -> data(e).get("tenant")).containsOnly(b);
        List<Object> idsOfA = feedA.stream().map(e -> e.get("id")).toList();
        assertThat(feedB).extracting(e -> e.get("id")).doesNotContainAnyElementsOf(idsOfA);

        // A's feed, A's events and A's cursor, with B's key
        Response feed = Api.as(adminB).get(Fixtures.base(a) + "/events");
        assertThat(feed.statusCode()).isEqualTo(404);
        assertThat(feed.contentType()).startsWith("application/problem+json");
        assertThat(feed.asString()).doesNotContain(idsOfA.toArray(String[]::new));
        for (Object id : idsOfA) {
            Api.as(adminB).get(Fixtures.base(a) + "/events/" + id).then().statusCode(404);
            Api.as(adminB).get(Fixtures.base(b) + "/events/" + id).then().statusCode(404);
        }
        String cursorOfA = Pages.page(Api.as(adminA), Fixtures.base(a) + "/events", 1, null)
                .getString("next");
        Response throughCursor = Api.as(adminB).get(Fixtures.base(b) + "/events?limit=1000&cursor=" + cursorOfA);
        assertThat(throughCursor.statusCode()).isEqualTo(200);
        assertThat(throughCursor.jsonPath().<String>getList("items.id"))
                .doesNotContainAnyElementsOf(
                        idsOfA.stream().map(String.class::cast).toList());
    }

    @Test
    void shouldRefuseAnIntegrationKeyAndServeAnOperator() throws Exception {
        String tenant = Api.uniqueTenant("feedkey");
        String admin = Api.createTenant(tenant);
        String integration = Api.createKey(tenant, admin, "integration");
        Row event = insert(tenant, "training.failed", Instant.now(), Map.of("model", "m"));
        String events = Fixtures.base(tenant) + "/events";

        for (String path : List.of(events, events + "/" + event.id)) {
            Response refused = Api.as(integration).get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.asString()).as("nothing of the event").doesNotContain("training.failed", "\"data\"");
            Api.as(admin).get(path).then().statusCode(200);
            Api.asOperator().get(path).then().statusCode(200);
        }
    }

    /** What a client generated from OpenAPI gets: a page of typed items whose data is a JSON object. */
    @Test
    void shouldDescribeTheFeedAsAPageOfTypedEventsInOpenApi() {
        JsonPath openApi = io.restassured.RestAssured.given()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .jsonPath();
        String events = "paths.'/api/v1/tenants/{tenant}/events'.get";
        assertThat(openApi.getString(events + ".responses.'200'.content.'application/json'.schema.$ref"))
                .endsWith("/PageEventView");
        assertThat(openApi.getString("components.schemas.PageEventView.properties.items.items.$ref"))
                .endsWith("/EventView");
        assertThat(openApi.getString(
                        "paths.'/api/v1/tenants/{tenant}/events/{id}'.get.responses.'200'.content.'application/json'"
                                + ".schema.$ref"))
                .endsWith("/EventView");
        assertThat(openApi.getMap("components.schemas.EventView.properties").keySet())
                .containsExactlyInAnyOrder("id", "type", "occurredAt", "data");
        // a JsonNode left to the scanner is described as an array of JsonNode's getters
        assertThat(openApi.<String, Object>getMap("components.schemas.EventView.properties.data"))
                .containsEntry("type", "object")
                .doesNotContainKey("$ref");
        assertThat(openApi.getString(events + ".description")).contains("event retention");
    }

    /** An event written into the outbox as {@code TenantEvents} writes it, already fanned out (no delivery). */
    private Row insert(String tenant, String type, Instant at, Map<String, Object> data) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return insert(c, tenant, type, at, data);
        }
    }

    /** {@link #insert} in the transaction of {@code c}. */
    private static Row insert(Connection c, String tenant, String type, Instant at, Map<String, Object> data)
            throws Exception {
        UUID id = UUID.randomUUID();
        Map<String, Object> payload = new java.util.LinkedHashMap<>();
        payload.put("tenant", tenant);
        payload.putAll(data);
        try (PreparedStatement ps = c.prepareStatement("insert into tenant_event (id, tenant_id, type, payload, "
                + "created_at, fanned_out) values (?, ?, ?, ?::jsonb, ?, true)")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            ps.setString(3, type);
            ps.setString(4, JSON.writeValueAsString(payload));
            ps.setTimestamp(5, Timestamp.from(at));
            ps.executeUpdate();
        }
        return new Row(id, type, at, data);
    }

    private record Row(UUID id, String type, Instant at, Map<String, Object> data) {
        int hour() {
            return (Integer) data.get("hour");
        }
    }

    /**
     * The ids in the feed's order: time descending, then id descending as PostgreSQL compares uuids (bytes
     * unsigned, which is the order of their lower-case text).
     */
    private static List<String> newestFirst(List<Row> rows, java.util.function.Predicate<Row> keep) {
        return rows.stream()
                .filter(keep)
                .sorted(Comparator.comparing((Row r) -> r.at)
                        .thenComparing(r -> r.id.toString())
                        .reversed())
                .map(r -> r.id.toString())
                .toList();
    }

    private static List<String> newestFirst(List<Row> rows) {
        return newestFirst(rows, r -> true);
    }

    private static List<String> ids(String admin, String url) {
        return Api.as(admin)
                .get(url)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.id");
    }

    private static void assertNewestFirst(List<Map<String, Object>> feed) {
        List<Instant> times = feed.stream()
                .map(e -> Instant.parse((String) e.get("occurredAt")))
                .toList();
        assertThat(times).isSortedAccordingTo(Comparator.reverseOrder());
    }

    private static Map<String, Object> only(List<Map<String, Object>> feed, String type) {
        List<Map<String, Object>> of =
                feed.stream().filter(e -> type.equals(e.get("type"))).toList();
        assertThat(of).as(type).hasSize(1);
        return of.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) event.get("data");
    }
}
