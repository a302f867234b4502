package io.tenantml.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Concurrently;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.LockWaits;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RecommenderResourceTest {

    @Inject
    AgroalDataSource dataSource;

    static String tenant;
    static String admin;

    @BeforeEach
    void tenantWithAnswers() {
        if (tenant != null) {
            return;
        }
        tenant = Api.uniqueTenant("recs");
        admin = Api.createTenant(tenant);
        ExpertsData.declare(tenant, admin, ExpertsData.DATASET);
        Fixtures.uploadVersion(
                tenant, admin, ExpertsData.DATASET, "text/csv", ExpertsData.slice(0, 30, UnaryOperator.identity()));
    }

    /**
     * A build's start holds its dataset against a purge: while a purge or a new version's commit holds the
     * dataset's lock, the start waits for it and then reads the dataset as that left it. Before, it read the
     * version a retention purge right after a new version was about to take, and the build failed in its run.
     */
    @Test
    void shouldWaitForAPurgeOrVersionCommitUnderWayBeforeQueuingABuild() throws Exception {
        ExpertsData.put(tenant, admin, "held", ExpertsData.spec(ExpertsData.DATASET))
                .then()
                .statusCode(201);
        String builds = ExpertsData.path(tenant, "held") + "/builds";
        Response started;
        try (Connection purge = dataSource.getConnection();
                Connection probe = dataSource.getConnection()) {
            purge.setAutoCommit(false);
            // the exclusive side of the dataset's name lock, as a purge or a version's commit holds it
            LockWaits.holdNameLock(purge, "dataset", tenant, ExpertsData.DATASET);
            CompletableFuture<Response> start = Concurrently.inBackground(
                    () -> Api.as(admin).contentType(ContentType.JSON).post(builds));
            await("the start answered or waiting for the dataset's lock")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> start.isDone() || LockWaits.sessionsWaiting(probe) > 0);
            assertThat(start)
                    .as("the build's start while the dataset's lock is held")
                    .isNotDone();
            purge.commit();
            started = start.get(60, TimeUnit.SECONDS);
        }
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        Fixtures.awaitEnd(admin, builds + "/" + started.path("id"), Duration.ofMinutes(8), r -> {});
    }

    @Test
    void shouldFailABuildOfTooFewAnswersWithASafeCodeAndMessage() {
        ExpertsData.declare(tenant, admin, "tiny");
        Fixtures.uploadVersion(tenant, admin, "tiny", "text/csv", ExpertsData.slice(0, 10, UnaryOperator.identity()));
        ExpertsData.put(tenant, admin, "tiny", ExpertsData.spec("tiny"));
        Response failed = ExpertsData.build(tenant, admin, "tiny");
        assertThat(failed.<String>path("status")).as(failed.asString()).isEqualTo("failed");
        assertThat(failed.<String>path("errorCode")).isEqualTo("too-few-answers");
        assertThat(failed.<String>path("error"))
                .contains("only 10 usable answers")
                .doesNotContain("Exception");
        assertThat(failed.<Integer>path("attempts")).isEqualTo(1);
        assertThat(failed.<Boolean>path("current")).isFalse();
        assertThat(Api.as(admin).get(ExpertsData.path(tenant, "tiny")).<String>path("currentBuild"))
                .isNull();
    }

    @Test
    void shouldCreateReadReplaceAndDeleteARecommender() {
        Response created = ExpertsData.put(tenant, admin, "crud", ExpertsData.spec(ExpertsData.DATASET));
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.<List<String>>path("spec.text")).containsExactly("question");
        Map<String, Object> changed = new HashMap<>(ExpertsData.spec(ExpertsData.DATASET));
        changed.put("halfLifeDays", 90);
        Response replaced = ExpertsData.put(tenant, admin, "crud", changed);
        assertThat(replaced.statusCode()).as(replaced.asString()).isEqualTo(200);
        assertThat(Api.as(admin).get(ExpertsData.path(tenant, "crud")).<Float>path("spec.halfLifeDays"))
                .isEqualTo(90f);
        assertThat(Api.as(admin).delete(ExpertsData.path(tenant, "crud")).statusCode())
                .isEqualTo(204);
        Response gone = Api.as(admin).get(ExpertsData.path(tenant, "crud"));
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.contentType()).startsWith("application/problem+json");
    }

    @Test
    void shouldRejectASpecNamingTheFieldThatIsWrongAndWriteNothing() {
        assertField(with("dataset", "nope"), "dataset");
        assertField(with("text", List.of("question", "missing")), "text[1]");
        assertField(with("text", List.of("answered_at")), "text[0]");
        assertField(with("expert", "nobody"), "expert");
        assertField(with("text", List.of("question", "expert_id")), "text[1]");
        assertField(with("time", "question"), "time");
        assertField(with("tags", "answered_at"), "tags");
        assertField(with("schedule", "every day"), "schedule");
        assertField(with("halfLifeDays", -1), "halfLifeDays");
        assertField(with("dailyCap", 0), "dailyCap");
        assertField(with("holdoutFraction", 0.9), "holdoutFraction");
        Map<String, Object> noText = new HashMap<>(ExpertsData.spec(ExpertsData.DATASET));
        noText.remove("text");
        assertField(noText, "text");
        assertThat(Api.as(admin).get(ExpertsData.path(tenant, "bad")).statusCode())
                .isEqualTo(404);
    }

    @Test
    void shouldPageTheListWithAnOpaqueCursor() {
        for (String name : List.of("page-a", "page-b", "page-c")) {
            assertThat(ExpertsData.put(tenant, admin, name, ExpertsData.spec(ExpertsData.DATASET))
                            .statusCode())
                    .isIn(200, 201);
        }
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var request = Api.as(admin).queryParam("limit", 2);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response page = request.get(Fixtures.base(tenant) + "/recommenders");
            assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
            List<String> names = page.path("items.name");
            assertThat(names.size()).isLessThanOrEqualTo(2);
            seen.addAll(names);
            cursor = page.path("next");
        } while (cursor != null);
        assertThat(seen).contains("page-a", "page-b", "page-c").isSorted().doesNotHaveDuplicates();
        Response bad = Api.as(admin).queryParam("cursor", "bm9wZQ").get(Fixtures.base(tenant) + "/recommenders");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.<String>path("parameter")).isEqualTo("cursor");
    }

    @Test
    void shouldAnswerConflictWhenRecommendingBeforeAnyBuild() {
        ExpertsData.put(tenant, admin, "unbuilt", ExpertsData.spec(ExpertsData.DATASET));
        Response r = ExpertsData.recommend(tenant, admin, "unbuilt", Map.of("text", "remote write"));
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(409);
        Response blank = ExpertsData.recommend(tenant, admin, "unbuilt", Map.of("text", " "));
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.<String>path("field")).isEqualTo("text");
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> spec = new HashMap<>(ExpertsData.spec(ExpertsData.DATASET));
        spec.put(field, value);
        return spec;
    }

    private static void assertField(Map<String, Object> spec, String field) {
        Response r = ExpertsData.put(tenant, admin, "bad", spec);
        assertThat(r.statusCode()).as(field + ": " + r.asString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.<String>path("field")).as(r.asString()).isEqualTo(field);
    }
}
