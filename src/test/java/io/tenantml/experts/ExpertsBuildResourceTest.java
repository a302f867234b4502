package io.tenantml.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.experts.internal.EmbeddingCache;
import io.tenantml.experts.internal.OpenIndexes;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobStore;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.UsageEvents;
import io.tenantml.usage.Meters;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Builds over the API on a 400-answer slice of the dev set (embedded in a few seconds): evaluation stored
 * with the build, recommendations with evidence, the embedding cache, the daily cap, and offboarding.
 */
@QuarkusTest
class ExpertsBuildResourceTest {

    static final int ROWS = 400;

    @Inject
    EmbeddingCache embeddingCache;

    @Inject
    OpenIndexes indexes;

    @Inject
    BlobStore blobs;

    @Inject
    Meters meters;

    @Inject
    AgroalDataSource dataSource;

    static String tenant;
    static String admin;
    static String integration;
    static Response firstBuild;

    @BeforeEach
    void builtOnce() {
        if (tenant != null) {
            return;
        }
        tenant = Api.uniqueTenant("experts");
        admin = Api.createTenant(tenant);
        integration = Api.createKey(tenant, admin, "integration");
        ExpertsData.declare(tenant, admin, ExpertsData.DATASET);
        Fixtures.uploadVersion(
                tenant, admin, ExpertsData.DATASET, "text/csv", ExpertsData.slice(0, ROWS, UnaryOperator.identity()));
        assertThat(ExpertsData.put(tenant, admin, "main", ExpertsData.spec(ExpertsData.DATASET))
                        .statusCode())
                .isEqualTo(201);
        firstBuild = ExpertsData.build(tenant, admin, "main");
    }

    @Test
    void shouldStoreTheEvaluationWithBothBaselinesAndMakeTheFirstBuildCurrent() {
        assertThat(firstBuild.<String>path("status")).as(firstBuild.asString()).isEqualTo("succeeded");
        assertThat(firstBuild.<Boolean>path("current")).isTrue();
        assertThat(firstBuild.<Integer>path("rowsIndexed")).isEqualTo(ROWS);
        assertThat(firstBuild.<String>path("indexSha256")).matches("[0-9a-f]{64}");
        assertThat(firstBuild.<Integer>path("evaluation.unlearned.queries")).isPositive();
        assertThat(firstBuild.<Float>path("evaluation.mostActive.mrrAt10")).isNotNull();
        assertThat(firstBuild.<Float>path("evaluation.bm25Votes.mrrAt10")).isNotNull();
        assertThat(firstBuild.<String>path("served")).isIn("unlearned", "reranked");
        assertThat(firstBuild.<String>path("provenance.embeddingModel")).contains("all-minilm-l6-v2-q");
        assertThat(firstBuild.<Integer>path("provenance.datasetVersion")).isEqualTo(1);
    }

    @Test
    void shouldRunTheBuildAsALedgerRunWithOneAttemptAndNoError() throws Exception {
        assertThat(firstBuild.<Integer>path("attempts")).isEqualTo(1);
        assertThat(firstBuild.<Float>path("progress")).isEqualTo(1f);
        assertThat(firstBuild.<String>path("phase")).isEqualTo("done");
        assertThat(firstBuild.<String>path("errorCode")).isNull();
        assertThat(firstBuild.<String>path("startedAt")).isNotNull();
        assertThat(firstBuild.<String>path("finishedAt")).isNotNull();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select kind, subject, state, attempts from run where id = ?")) {
            ps.setObject(1, java.util.UUID.fromString(firstBuild.path("id")));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("the build's run in the ledger").isTrue();
                assertThat(rs.getString("kind")).isEqualTo("INDEX_BUILD");
                assertThat(rs.getString("subject")).isEqualTo("main");
                assertThat(rs.getString("state")).isEqualTo("SUCCEEDED");
                assertThat(rs.getInt("attempts")).isEqualTo(1);
            }
        }
    }

    @Test
    void shouldMeterTheBuildOnceAndEveryQueryAndItsEmbeddingOnce() throws Exception {
        // the first build: one event per fact of its one attempt; 400 texts embedded (an empty cache)
        String attempt = "index-build:" + firstBuild.path("id") + ":1:";
        // billed with its success, not after it: nothing to wait for once the build is seen succeeded
        UsageEvents.assertWrittenWithRun(dataSource, tenant, attempt, java.util.UUID.fromString(firstBuild.path("id")));
        assertThat(event(attempt + "embed")).isEqualTo(ROWS);
        double wall = event(attempt + "wall");
        assertThat(wall).isPositive();
        // CPU allotted: wall seconds times max(embed threads 2, re-ranker threads 2)
        assertThat(event(attempt + "cpu")).isCloseTo(wall * 2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(count("index_build.wall_seconds")).isEqualTo(1);
        meters.flush();
        double queries = sum("recommend.queries", "main", null);
        double embedded = sum("embedding.calls", "main", "query");
        Map<String, Object> body = Map.of("text", "Fix remote write retries", "k", 2);
        for (int i = 0; i < 3; i++) {
            assertThat(ExpertsData.recommend(tenant, integration, "main", body).statusCode())
                    .isEqualTo(200);
        }
        // refused before any model runs: neither a query nor an embedding
        ExpertsData.put(tenant, admin, "unbuilt", ExpertsData.spec(ExpertsData.DATASET));
        assertThat(ExpertsData.recommend(tenant, integration, "unbuilt", body).statusCode())
                .isEqualTo(409);
        meters.flush();
        meters.flush(); // a second flush with nothing new changes nothing
        assertThat(sum("recommend.queries", "main", null) - queries).isEqualTo(3);
        assertThat(sum("embedding.calls", "main", "query") - embedded).isEqualTo(3);
        assertThat(sum("recommend.queries", "unbuilt", null)).isZero();
        assertThat(sum("embedding.calls", "main", "build")).isEqualTo(ROWS);
    }

    private double event(String idempotencyId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select quantity from usage_event where tenant_id = ? and idempotency_id = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, idempotencyId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("usage event " + idempotencyId).isTrue();
                return rs.getDouble(1);
            }
        }
    }

    private long count(String meter) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select count(*) from usage_event where tenant_id = ? and meter = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, meter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private double sum(String meter, String recommender, String at) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select coalesce(sum(quantity), 0) from usage_event "
                        + "where tenant_id = ? and meter = ? and dimensions ->> 'recommender' = ? "
                        + "and (cast(? as text) is null or dimensions ->> 'at' = ?)")) {
            ps.setString(1, tenant);
            ps.setString(2, meter);
            ps.setString(3, recommender);
            ps.setString(4, at);
            ps.setString(5, at);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }

    @Test
    void shouldShowTheGenerationStaleAfterAnIndexChangingSpecEditAndKeepAnsweringFromIt() {
        String r = ExpertsData.path(tenant, "main");
        assertThat(Api.as(admin).get(r).<Boolean>path("stale")).isFalse();
        Map<String, Object> ranking = new HashMap<>(ExpertsData.spec(ExpertsData.DATASET));
        ranking.put("halfLifeDays", 30);
        ExpertsData.put(tenant, admin, "main", ranking);
        assertThat(Api.as(admin).get(r).<Boolean>path("stale"))
                .as("a ranking setting does not change what the index contains")
                .isFalse();
        Map<String, Object> untagged = new HashMap<>(ExpertsData.spec(ExpertsData.DATASET));
        untagged.remove("tags");
        untagged.put("text", List.of("question", "tags"));
        try {
            Response edited = ExpertsData.put(tenant, admin, "main", untagged);
            assertThat(edited.<Boolean>path("stale")).as(edited.asString()).isTrue();
            assertThat(edited.<String>path("staleReason"))
                    .startsWith("text, tags changed since build " + firstBuild.path("id"));
            Response answer =
                    ExpertsData.recommend(tenant, integration, "main", Map.of("text", "Fix solaris build.", "k", 2));
            assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
            assertThat(answer.<String>path("build"))
                    .as("the previous generation answers until a new one is current")
                    .isEqualTo(firstBuild.path("id"));
        } finally {
            ExpertsData.put(tenant, admin, "main", ExpertsData.spec(ExpertsData.DATASET));
        }
        Response back = Api.as(admin).get(r);
        assertThat(back.<Boolean>path("stale")).isFalse();
        assertThat(back.<String>path("staleReason")).isNull();
    }

    @Test
    void shouldRecommendTheAuthorOfAnIndexedAnswerWithItAsEvidence() {
        // an answer of the slice asked again (its subject line): a ranking with evidence and reasons, the same twice
        Map<String, Object> body =
                Map.of("text", "Fix solaris build.", "tags", List.of("tsdb"), "k", 3, "explain", true);
        Response r = ExpertsData.recommend(tenant, integration, "main", body);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.<String>path("build")).isEqualTo(firstBuild.path("id"));
        List<Map<String, Object>> experts = r.path("experts");
        assertThat(experts).hasSizeBetween(1, 3);
        assertThat(r.<List<Object>>path("experts[0].evidence")).isNotEmpty();
        assertThat(r.<List<String>>path("experts[0].reasons.kind")).contains("recency", "activity");
        assertThat(r.<Map<String, Object>>path("experts[0].features")).containsKey("fused");
        Response same = ExpertsData.recommend(tenant, integration, "main", body);
        assertThat(same.<List<String>>path("experts.expert")).isEqualTo(r.<List<String>>path("experts.expert"));
    }

    @Test
    void shouldEmbedOnlyNewTextsOnARebuildAndDeleteThePreviousGenerationsFiles() throws Exception {
        var cleanTenant = Api.uniqueTenant("rebuild");
        String key = Api.createTenant(cleanTenant);
        ExpertsData.declare(cleanTenant, key, ExpertsData.DATASET);
        Fixtures.uploadVersion(
                cleanTenant, key, ExpertsData.DATASET, "text/csv", ExpertsData.slice(0, 200, UnaryOperator.identity()));
        ExpertsData.put(cleanTenant, key, "r", ExpertsData.spec(ExpertsData.DATASET));
        Response first = ExpertsData.build(cleanTenant, key, "r");
        assertThat(first.<String>path("status")).as(first.asString()).isEqualTo("succeeded");
        assertThat(first.<Integer>path("rowsEmbedded")).isEqualTo(200);
        Fixtures.uploadVersion(
                cleanTenant, key, ExpertsData.DATASET, "text/csv", ExpertsData.slice(0, 230, UnaryOperator.identity()));
        Map<String, Object> lenient = new HashMap<>(ExpertsData.spec(ExpertsData.DATASET));
        lenient.put("gateTolerance", 1.0);
        ExpertsData.put(cleanTenant, key, "r", lenient);
        Response second = ExpertsData.build(cleanTenant, key, "r");
        assertThat(second.<String>path("status")).as(second.asString()).isEqualTo("succeeded");
        assertThat(second.<Integer>path("rowsEmbedded"))
                .as("only the 30 new answers are embedded")
                .isEqualTo(30);
        assertThat(second.<Boolean>path("current")).isTrue();
        TenantId t = new TenantId(cleanTenant);
        // the retired generation's files are deleted just after the new build's run is marked succeeded
        await("the retired generation's files to be deleted")
                .atMost(Fixtures.JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() ->
                        blobs.list(t, "experts/r/" + first.path("id") + "/").isEmpty());
        assertThat(blobs.list(t, "experts/r/" + first.path("id") + "/"))
                .as("retired generation's files")
                .isEmpty();
        assertThat(blobs.list(t, "experts/r/" + second.path("id") + "/")).isNotEmpty();
        assertThat(Api.as(key)
                        .get(ExpertsData.path(cleanTenant, "r") + "/builds/" + first.path("id"))
                        .<Boolean>path("current"))
                .isFalse();
    }

    @Test
    void shouldNotRecommendAnExpertMoreOftenThanTheDailyCap() {
        Map<String, Object> capped = new HashMap<>(ExpertsData.spec(ExpertsData.DATASET));
        capped.put("dailyCap", 1);
        ExpertsData.put(tenant, admin, "main", capped);
        try {
            Map<String, Object> body = Map.of("text", "Update React app dependencies", "k", 2);
            List<String> first =
                    ExpertsData.recommend(tenant, integration, "main", body).path("experts.expert");
            List<String> second =
                    ExpertsData.recommend(tenant, integration, "main", body).path("experts.expert");
            assertThat(first).isNotEmpty();
            assertThat(second).doesNotContainAnyElementsOf(first);
        } finally {
            ExpertsData.put(tenant, admin, "main", ExpertsData.spec(ExpertsData.DATASET));
        }
    }

    @Test
    void shouldRebuildOnScheduleOnlyWhenTheDatasetHasANewVersion() {
        String t = Api.uniqueTenant("sched");
        String key = Api.createTenant(t);
        ExpertsData.declare(t, key, ExpertsData.DATASET);
        Fixtures.uploadVersion(
                t, key, ExpertsData.DATASET, "text/csv", ExpertsData.slice(0, 120, UnaryOperator.identity()));
        Map<String, Object> spec = new HashMap<>(ExpertsData.spec(ExpertsData.DATASET));
        spec.put("schedule", "0/2 * * * * ?");
        spec.put("reranker", false);
        spec.put("gateTolerance", 1.0);
        ExpertsData.put(t, key, "s", spec);
        String builds = ExpertsData.path(t, "s") + "/builds?limit=1000";
        // the first fire builds version 1; later fires find nothing new and are recorded as skipped
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<String> statuses = Api.as(key).get(builds).path("items.status");
                    return statuses.contains("succeeded") && statuses.contains("skipped");
                });
        Response list = Api.as(key).get(builds);
        assertThat(list.<List<String>>path("items.findAll { it.status != 'skipped' }.status"))
                .as("one real build for one dataset version")
                .containsOnly("succeeded")
                .hasSize(1);
        assertThat(list.<List<String>>path("items.findAll { it.status == 'skipped' }.error"))
                .isNotEmpty()
                // a fire that came while the first build was still queued finds it there; every later one finds
                // nothing new
                .allSatisfy(e ->
                        assertThat(e).containsAnyOf("no new dataset version", "already has a queued or running build"));
        assertThat(list.<List<Object>>path("items.findAll { it.status == 'skipped' }.rowsEmbedded"))
                .containsOnlyNulls();
        Fixtures.uploadVersion(
                t, key, ExpertsData.DATASET, "text/csv", ExpertsData.slice(0, 140, UnaryOperator.identity()));
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<Integer> versions =
                            Api.as(key).get(builds).path("items.findAll { it.status == 'succeeded' }.datasetVersion");
                    return versions.contains(2);
                });
        // newest first, like trainings: the build of version 2 before the one of version 1, skipped fires between
        List<java.time.Instant> created = Api.as(key).get(builds).<List<String>>path("items.createdAt").stream()
                .map(java.time.Instant::parse)
                .toList();
        assertThat(created).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(Api.as(key)
                        .get(builds)
                        .<List<Integer>>path("items.findAll { it.status == 'succeeded' }.datasetVersion"))
                .startsWith(2, 1);
        ExpertsData.put(t, key, "s", ExpertsData.spec(ExpertsData.DATASET)); // schedule off
    }

    @Test
    void shouldForgetGenerationsEmbeddingsAndOpenSearchersWhenTheTenantIsOffboarded() throws Exception {
        String t = Api.uniqueTenant("offboard");
        String key = Api.createTenant(t);
        ExpertsData.declare(t, key, ExpertsData.DATASET);
        Fixtures.uploadVersion(
                t, key, ExpertsData.DATASET, "text/csv", ExpertsData.slice(0, 100, UnaryOperator.identity()));
        ExpertsData.put(t, key, "o", ExpertsData.spec(ExpertsData.DATASET));
        assertThat(ExpertsData.build(t, key, "o").<String>path("status")).isEqualTo("succeeded");
        assertThat(ExpertsData.recommend(t, key, "o", Map.of("text", "remote write"))
                        .statusCode())
                .isEqualTo(200);
        TenantId id = new TenantId(t);
        assertThat(indexes.openFor(id)).isEqualTo(1);
        assertThat(embeddingCache.count(id)).isEqualTo(100);
        Api.asOperator().delete("/api/v1/tenants/" + t).then().statusCode(204);
        assertThat(indexes.openFor(id)).as("open searchers").isZero();
        assertThat(embeddingCache.count(id)).as("cached embeddings").isZero();
        assertThat(blobs.list(id, "")).as("generation files").isEmpty();
    }
}
