package io.tenantml.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.experts.ExpertsData;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobStore;
import io.tenantml.testing.Api;
import io.tenantml.testing.Concurrently;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.RunHolds;
import io.tenantml.testing.TestDatabase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Count limits under creates of different names that arrive at once. A check reads the tenant's count and the
 * create inserts after it; without a lock per tenant and limit, every create of the burst read the same count
 * below the limit and all were let through (the probe got 4–11 integration keys, 7–12 models and 4–9 datasets
 * on limits of 3, and 4–7 trainings at once on {@code concurrentJobs} 2). Each test sends {@link #CLIENTS}
 * creates of different names to a fresh tenant, released together, and expects exactly {@code limit} of them to
 * succeed, the others to be refused with 409 {@code quota-exceeded}, and the tenant to hold exactly
 * {@code limit} afterwards. Nothing here is random: names are numbered, the thread count is fixed.
 */
@QuarkusTest
class ConcurrentQuotaResourceTest {

    private static final int CLIENTS = 8;

    /** The probe's plan: each count limit well below {@link #CLIENTS}. */
    private static final int MODELS = 3;

    private static final int DATASETS = 3;
    private static final int RECOMMENDERS = 1;
    private static final int INTEGRATION_CLIENTS = 3;
    private static final int CONCURRENT_JOBS = 2;
    private static final int TRAININGS_PER_DAY = 3;

    /** Bursts of integration key issues, each on its own tenant (see the test). */
    private static final int KEY_ROUNDS = 5;

    @Inject
    RunHolds holds;

    @Inject
    BlobStore blobs;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    /** The answers to {@link #CLIENTS} requests, the i-th made by {@code request.apply(i)}, released together. */
    private static List<Response> atOnce(IntFunction<Response> request) throws Exception {
        return Concurrently.atOnce(CLIENTS, request);
    }

    /** Exactly {@code max} answers are {@code created}; every other one is the 409 naming {@code limit}. */
    private static void assertOnlyTheLimitCreated(List<Response> answers, int created, String limit, int max) {
        List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
        // the problems in full, the created ones by status only (an upload's answer is its whole profile)
        String all = answers.stream()
                .map(r -> r.statusCode() == created ? Integer.toString(created) : r.asString())
                .toList()
                .toString();
        assertThat(statuses).as(all).containsOnly(created, 409);
        assertThat(statuses.stream().filter(s -> s == created).count()).as(all).isEqualTo(max);
        for (Response r : answers) {
            if (r.statusCode() == 409) {
                assertThat(r.contentType()).as(r.asString()).startsWith("application/problem+json");
                assertThat(r.<String>path("type")).isEqualTo("https://tenantml.io/problems/quota-exceeded");
                assertThat(r.<String>path("limit")).isEqualTo(limit);
                assertThat(r.<Integer>path("max")).isEqualTo(max);
            }
        }
    }

    private static void plan(String tenant, Map<String, Object> limits) {
        QuotaResourceTest.plan(tenant, limits);
    }

    private static int listed(String key, String path) {
        Response r = Api.as(key).get(path + (path.contains("?") ? "&" : "?") + "limit=100");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath().getList("items").size();
    }

    @Test
    void shouldCreateNoMoreModelsThanThePlanAllowsWhenDifferentModelsArriveAtOnce() throws Exception {
        String t = Api.uniqueTenant("qcmodels");
        String key = Api.createTenant(t);
        Fixtures.uploadResource(t, key, "penguins", "penguins.json");
        plan(t, Map.of("models", MODELS));

        assertOnlyTheLimitCreated(
                atOnce(i -> Fixtures.putModel(t, key, "model-" + i, UsageResourceTest.PENGUINS)),
                201,
                "models",
                MODELS);
        assertThat(listed(key, Fixtures.base(t) + "/models")).isEqualTo(MODELS);
    }

    @Test
    void shouldCreateNoMoreDatasetsThanThePlanAllowsWhenFirstUploadsOfDifferentDatasetsArriveAtOnce() throws Exception {
        String t = Api.uniqueTenant("qcupload");
        String key = Api.createTenant(t);
        plan(t, Map.of("datasets", DATASETS));
        byte[] penguins = Fixtures.resource("penguins.json");

        assertOnlyTheLimitCreated(
                atOnce(i -> Fixtures.upload(t, key, "dataset-" + i, ContentType.JSON.toString(), penguins)),
                201,
                "datasets",
                DATASETS);
        assertThat(listed(key, Fixtures.base(t) + "/datasets")).isEqualTo(DATASETS);
    }

    /**
     * The stored-bytes limit is a sum, not a count: uploads that each fit alone must not all be let through. A
     * check that measured the tenant's files outside any lock let every upload whose measure came before the
     * others' files were stored through (on this machine ingestion staggers the uploads, so the burst rarely showed
     * it; a node under load would). Now each upload measures, stores and commits holding the tenant's storage lock.
     * The test holds that lock until all {@link #CLIENTS} uploads wait for it, so their measures would all coincide
     * without it, then lets them go: they are measured one after another and exactly the two that fit are stored.
     */
    @Test
    void shouldStoreNoMoreBytesThanThePlanAllowsWhenUploadsThatEachFitArriveAtOnce() throws Exception {
        String t = Api.uniqueTenant("qcbytes");
        String key = Api.createTenant(t);
        TenantId tenant = new TenantId(t);
        byte[] penguins = Fixtures.resource("penguins.json");
        long before = blobs.usedBytes(tenant);
        Response first = Fixtures.upload(t, key, "dataset-first", ContentType.JSON.toString(), penguins);
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(201);
        // every upload of the same rows under another name stores the same files
        long one = blobs.usedBytes(tenant) - before;
        assertThat(one).isPositive();
        long max = blobs.usedBytes(tenant) + 2 * one + one / 2; // room for two more uploads, not three
        plan(t, Map.of("storedBytes", max));

        List<Response> answers = new java.util.ArrayList<>();
        try (Connection lock = TestDatabase.ownerConnection(jdbcUrl)) {
            lock.setAutoCommit(false);
            TestDatabase.holdNameLock(lock, "quota", t, "storedBytes");
            List<CompletableFuture<Response>> uploads = new java.util.ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String name = "dataset-" + i;
                uploads.add(Concurrently.inBackground(
                        () -> Fixtures.upload(t, key, name, ContentType.JSON.toString(), penguins)));
            }
            org.awaitility.Awaitility.await("every upload waiting for the tenant's storage lock")
                    .atMost(java.time.Duration.ofSeconds(90))
                    .pollInterval(java.time.Duration.ofMillis(20))
                    .failFast(
                            "an upload was answered while the test held the storage lock",
                            () -> uploads.stream().anyMatch(CompletableFuture::isDone))
                    .until(() -> TestDatabase.advisoryLockWaiters(lock) == CLIENTS);
            lock.commit();
            for (CompletableFuture<Response> upload : uploads) {
                answers.add(upload.get(120, TimeUnit.SECONDS));
            }
        }

        List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
        assertThat(statuses).as(statuses.toString()).containsOnly(201, 413);
        assertThat(statuses.stream().filter(s -> s == 201).count())
                .as(statuses.toString())
                .isEqualTo(2);
        for (Response r : answers) {
            if (r.statusCode() == 413) {
                assertThat(r.<String>path("type")).isEqualTo("https://tenantml.io/problems/quota-exceeded");
                assertThat(r.<String>path("limit")).isEqualTo("storedBytes");
            }
        }
        assertThat(blobs.usedBytes(tenant)).isLessThanOrEqualTo(max);
        assertThat(listed(key, Fixtures.base(t) + "/datasets")).isEqualTo(3);
    }

    @Test
    void shouldCreateNoMoreDatasetsThanThePlanAllowsWhenDeclarationsOfDifferentDatasetsArriveAtOnce() throws Exception {
        String t = Api.uniqueTenant("qcdeclare");
        String key = Api.createTenant(t);
        plan(t, Map.of("datasets", DATASETS));

        assertOnlyTheLimitCreated(
                atOnce(i -> Api.as(key)
                        .contentType(ContentType.JSON)
                        .body(Map.of("description", "declared at once"))
                        .put(Fixtures.datasetPath(t, "dataset-" + i))),
                201,
                "datasets",
                DATASETS);
        assertThat(listed(key, Fixtures.base(t) + "/datasets")).isEqualTo(DATASETS);
    }

    @Test
    void shouldCreateNoMoreRecommendersThanThePlanAllowsWhenDifferentRecommendersArriveAtOnce() throws Exception {
        String t = Api.uniqueTenant("qcrecs");
        String key = Api.createTenant(t);
        ExpertsData.declare(t, key, ExpertsData.DATASET);
        plan(t, Map.of("recommenders", RECOMMENDERS));

        assertOnlyTheLimitCreated(
                atOnce(i -> ExpertsData.put(t, key, "recommender-" + i, ExpertsData.spec(ExpertsData.DATASET))),
                201,
                "recommenders",
                RECOMMENDERS);
        assertThat(listed(key, Fixtures.base(t) + "/recommenders")).isEqualTo(RECOMMENDERS);
    }

    @Test
    void shouldIssueNoMoreIntegrationKeysThanThePlanAllowsWhenRequestsArriveAtOnce() throws Exception {
        // An issue is one short insert, so a burst overlaps in the database less often than the other creates do
        // (without the lock, one burst of 8 overshot in 1 of 2 runs): several bursts, each on a fresh tenant.
        for (int round = 0; round < KEY_ROUNDS; round++) {
            String t = Api.uniqueTenant("qckeys");
            String key = Api.createTenant(t);
            plan(t, Map.of("integrationClients", INTEGRATION_CLIENTS));

            assertOnlyTheLimitCreated(
                    atOnce(i -> Api.as(key)
                            .contentType(ContentType.JSON)
                            .body(Map.of("name", "integration-" + i, "role", "integration"))
                            .post(Fixtures.base(t) + "/api-keys")),
                    201,
                    "integrationClients",
                    INTEGRATION_CLIENTS);
            Response keys = Api.as(key).get(Fixtures.base(t) + "/api-keys?limit=100");
            assertThat(keys.jsonPath().getList("items.findAll { it.role == 'integration' && it.revokedAt == null }"))
                    .as("round " + round + ": " + keys.asString())
                    .hasSize(INTEGRATION_CLIENTS);
        }
    }

    /** A tenant with penguins and {@link #CLIENTS} models on it, none trained; returns its admin key. */
    private static String withModels(String t) {
        String key = Api.createTenant(t);
        Fixtures.uploadResource(t, key, "penguins", "penguins.json");
        for (int i = 0; i < CLIENTS; i++) {
            Fixtures.defineModel(t, key, "model-" + i, UsageResourceTest.PENGUINS, false);
        }
        return key;
    }

    private static Response startTraining(String t, String key, int model) {
        return Api.as(key)
                .contentType(ContentType.JSON)
                .body("{}")
                .post(Fixtures.base(t) + "/models/model-" + model + "/trainings");
    }

    /** Waits for every accepted training to end, so that none outlives its test. */
    private static void awaitEnds(String t, String key, List<Response> answers) {
        for (Response r : answers.stream().filter(a -> a.statusCode() == 202).toList()) {
            Fixtures.awaitEnd(key, Fixtures.trainingPath(t, r.path("id")));
        }
    }

    @Test
    void shouldQueueNoMoreJobsThanThePlanAllowsWhenTrainingsOfDifferentModelsArriveAtOnce() throws Exception {
        String t = Api.uniqueTenant("qcjobs");
        String key = withModels(t);
        plan(t, Map.of("concurrentJobs", CONCURRENT_JOBS));
        // the accepted trainings stay running until released, so each keeps its job slot for the whole burst
        holds.hold(t);
        List<Response> answers = List.of();
        try {
            answers = atOnce(i -> startTraining(t, key, i));
            assertOnlyTheLimitCreated(answers, 202, "concurrentJobs", CONCURRENT_JOBS);
            assertThat(listed(key, Fixtures.base(t) + "/trainings")).isEqualTo(CONCURRENT_JOBS);
        } finally {
            holds.releaseAll(t);
            awaitEnds(t, key, answers);
        }
    }

    @Test
    void shouldStartNoMoreTrainingsADayThanThePlanAllowsWhenTrainingsOfDifferentModelsArriveAtOnce() throws Exception {
        String t = Api.uniqueTenant("qcdaily");
        String key = withModels(t);
        plan(t, Map.of("trainingsPerDay", TRAININGS_PER_DAY));

        List<Response> answers = atOnce(i -> startTraining(t, key, i));
        try {
            assertOnlyTheLimitCreated(answers, 202, "trainingsPerDay", TRAININGS_PER_DAY);
            assertThat(listed(key, Fixtures.base(t) + "/trainings")).isEqualTo(TRAININGS_PER_DAY);
        } finally {
            awaitEnds(t, key, answers);
        }
    }
}
