package io.tenantml.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.experts.ExpertsData;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.RunHolds;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Acceptance 3 of the usage issue: each plan limit refused with its status and problem type, naming the limit. */
@QuarkusTest
class QuotaResourceTest {

    static String tenant;
    static String admin;
    static String integration;

    @Inject
    RunHolds holds;

    @BeforeEach
    void penguins() {
        if (tenant == null) {
            tenant = Api.uniqueTenant("quota");
            admin = withTrainedSpecies(tenant);
            integration = Api.createKey(tenant, admin, "integration");
        }
        plan(Map.of());
    }

    /** Creates tenant {@code t} with the penguins dataset and its model "species" trained once; its admin key. */
    private static String withTrainedSpecies(String t) {
        String key = Api.createTenant(t);
        Fixtures.uploadResource(t, key, "penguins", "penguins.json");
        Fixtures.defineModel(t, key, "species", UsageResourceTest.PENGUINS, true);
        Fixtures.train(t, key, "species");
        return key;
    }

    static void plan(Map<String, Object> limits) {
        plan(tenant, limits);
    }

    static void plan(String t, Map<String, Object> limits) {
        Fixtures.plan(t, limits);
    }

    static Response predict(int records) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            batch.add(UsageResourceTest.penguin());
        }
        return Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Map.of("records", batch))
                .post("/api/v1/tenants/" + tenant + "/models/species/predict");
    }

    static void refused(Response r, int status, String type, String limit) {
        r.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tenantml.io/problems/" + type))
                // one title for the type, whichever status (409, 413, 422) the refusal has
                .body("title", equalTo("Quota exceeded"))
                .body("limit", equalTo(limit));
    }

    @Test
    void shouldLetOperatorsSetThePlanAndAdminsOnlyReadIt() {
        plan(Map.of("models", 7));
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/plan")
                .then()
                .statusCode(200)
                .body("limits.models", equalTo(7))
                .body("effective.models", equalTo(7))
                .body("effective.minScheduleIntervalSeconds", equalTo(1));
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("limits", Map.of("models", 1000)))
                .put("/api/v1/tenants/" + tenant + "/plan")
                .then()
                .statusCode(403);
    }

    /** A client that sends what applies believes it set it: it is told to set limits, and nothing changes. */
    @Test
    void shouldRefuseAPlanThatSetsWhatIsInForceAndKeepTheOldOne() {
        plan(Map.of("models", 7));
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("limits", Map.of("models", 3), "effective", Map.of("models", 1000)))
                .put("/api/v1/tenants/" + tenant + "/plan")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tenantml.io/problems/invalid-plan"))
                .body("field", equalTo("effective"));
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/plan")
                .then()
                .statusCode(200)
                .body("limits.models", equalTo(7))
                .body("effective.models", equalTo(7));
    }

    @Test
    void shouldAnswer429WithRetryAfterOverThePredictRateAndRecover() {
        plan(Map.of("predictRequestsPerSecond", 2));
        Response refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            Response r = predict(1);
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        assertThat(refused).as("a request over 2 per second was refused").isNotNull();
        refused.then()
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://tenantml.io/problems/rate-limited"))
                .body("limit", equalTo("predictRequestsPerSecond"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 2L);
        await().atMost(Duration.ofSeconds(5)).until(() -> predict(1).statusCode() == 200);
    }

    @Test
    void shouldRefuseAPredictBodyOverItsLimitWith413() {
        plan(Map.of("predictBodyBytes", 300));
        predict(1).then().statusCode(200);
        refused(predict(5), 413, "quota-exceeded", "predictBodyBytes");
    }

    @Test
    void shouldRefuseASchedulMoreFrequentThanThePlanWith422() {
        plan(Map.of("minScheduleIntervalSeconds", 3600));
        Map<String, Object> spec = new HashMap<>(UsageResourceTest.PENGUINS);
        spec.put("schedule", "0 * * * * ?");
        Response r = Fixtures.putModel(tenant, admin, "every-minute", spec);
        refused(r, 422, "quota-exceeded", "minScheduleIntervalSeconds");
        r.then().body("field", equalTo("schedule"));
        spec.put("schedule", "0 0 * * * ?");
        assertThat(Fixtures.putModel(tenant, admin, "hourly", spec).statusCode())
                .isEqualTo(201);
        Api.as(admin)
                .delete("/api/v1/tenants/" + tenant + "/models/hourly")
                .then()
                .statusCode(204);
    }

    /**
     * Every schedule a tenant declares is held to the plan's interval: before, only a model's training schedule was,
     * so a recommender rebuilt (or recorded a skipped build) and a model's monitoring window ran every second.
     */
    @Test
    void shouldRefuseARecommenderOrMonitoringScheduleMoreFrequentThanThePlanWith422() {
        // a tenant of its own: the class's shared one must keep its one dataset
        String t = Api.uniqueTenant("quota-schedules");
        String key = Api.createTenant(t);
        plan(t, Map.of("minScheduleIntervalSeconds", 3600));
        ExpertsData.declare(t, key, "answers");
        Map<String, Object> recommender = new HashMap<>(ExpertsData.spec("answers"));
        recommender.put("schedule", "* * * * * ?");
        Response everySecond = ExpertsData.put(t, key, "every-second", recommender);
        refused(everySecond, 422, "quota-exceeded", "minScheduleIntervalSeconds");
        everySecond.then().body("field", equalTo("schedule"));
        Api.as(key).get(ExpertsData.path(t, "every-second")).then().statusCode(404);
        recommender.put("schedule", "0 0 3 * * ?");
        assertThat(ExpertsData.put(t, key, "nightly", recommender).statusCode()).isEqualTo(201);

        Fixtures.uploadResource(t, key, "penguins", "penguins.json");
        Map<String, Object> model = new HashMap<>(UsageResourceTest.PENGUINS);
        model.put("monitoringSchedule", "0 0/5 * * * ?");
        Response everyFiveMinutes = Fixtures.putModel(t, key, "watched", model);
        refused(everyFiveMinutes, 422, "quota-exceeded", "minScheduleIntervalSeconds");
        everyFiveMinutes.then().body("field", equalTo("monitoringSchedule"));
        Api.as(key).get("/api/v1/tenants/" + t + "/models/watched").then().statusCode(404);
        model.put("monitoringSchedule", "0 H * * * ?");
        assertThat(Fixtures.putModel(t, key, "watched", model).statusCode()).isEqualTo(201);
    }

    @Test
    void shouldRefuseOneModelMoreThanThePlanWith409() {
        plan(Map.of("models", 1));
        refused(
                Fixtures.putModel(tenant, admin, "second", UsageResourceTest.PENGUINS),
                409,
                "quota-exceeded",
                "models");
        // replacing the existing one is no new model
        assertThat(Fixtures.putModel(
                                tenant,
                                admin,
                                "species",
                                Map.of(
                                        "dataset",
                                        "penguins",
                                        "target",
                                        "Species",
                                        "objective",
                                        "multiclass",
                                        "autoPromote",
                                        true,
                                        "params",
                                        Map.of("numRounds", 10, "seed", 5)))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void shouldRefuseATrainingOverTheDailyCountWith409() {
        plan(Map.of("trainingsPerDay", 1)); // the setup trained once today
        refused(startTraining(), 409, "quota-exceeded", "trainingsPerDay");
    }

    @Test
    void shouldRefuseAJobOverTheConcurrentJobsWith409() {
        plan(Map.of("concurrentJobs", 0));
        refused(startTraining(), 409, "quota-exceeded", "concurrentJobs");
    }

    @Test
    void shouldRefuseEveryKindOfJobATenantAsksForOverTheConcurrentJobsWith409() {
        plan(Map.of("concurrentJobs", 0));
        String model = "/api/v1/tenants/" + tenant + "/models/species";
        refused(startBatch(admin, model), 409, "quota-exceeded", "concurrentJobs");
        refused(Api.as(admin).post(model + "/monitoring/run"), 409, "quota-exceeded", "concurrentJobs");
        Api.as(admin).get(model + "/batch-predictions").then().statusCode(200).body("items.size()", equalTo(0));
    }

    /**
     * A window run is the platform's own hourly check, so it never takes one of the tenant's job slots: with a
     * plan of one concurrent job, a training is queued while the tenant's manual window run is running, and
     * the next manual run is refused because of the training, not the window run.
     */
    @Test
    void shouldLeaveTheLastJobSlotToATrainingWhileAWindowRunRunsAndRefuseTheNextManualRunBehindTheTraining() {
        String t = Api.uniqueTenant("qwindow");
        String key = withTrainedSpecies(t);
        plan(t, Map.of("concurrentJobs", 1));
        String model = "/api/v1/tenants/" + t + "/models/species";
        holds.hold(t);
        String window;
        String training;
        try {
            Response run = Api.as(key).post(model + "/monitoring/run");
            assertThat(run.statusCode()).as(run.asString()).isEqualTo(202);
            window = model + "/monitoring/runs/" + run.<String>path("id");
            // running, not just queued: it holds a dispatcher slot the whole time the training is asked for
            await(window + " running")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> "running".equals(Api.as(key).get(window).path("status")));

            training = Fixtures.startTraining(t, key, "species");

            Response refused = Api.as(key).post(model + "/monitoring/run");
            refused(refused, 409, "quota-exceeded", "concurrentJobs");
            refused.then().body("max", equalTo(1));
        } finally {
            holds.releaseAll(t);
        }
        assertThat(Fixtures.awaitEnd(key, window).<String>path("status")).isEqualTo("succeeded");
        assertThat(Fixtures.awaitEnd(key, Fixtures.trainingPath(t, training)).<String>path("status"))
                .isEqualTo("succeeded");
    }

    /** A tenant with two recommenders over five answers of the dev set, on a plan of one concurrent job. */
    private static String withTwoRecommenders(String t) {
        String key = Api.createTenant(t);
        ExpertsData.declare(t, key, ExpertsData.DATASET);
        Fixtures.uploadVersion(
                t, key, ExpertsData.DATASET, "text/csv", ExpertsData.slice(0, 5, UnaryOperator.identity()));
        for (String recommender : List.of("first", "second")) {
            assertThat(ExpertsData.put(t, key, recommender, ExpertsData.spec(ExpertsData.DATASET))
                            .statusCode())
                    .isEqualTo(201);
        }
        plan(t, Map.of("concurrentJobs", 1));
        return key;
    }

    private static Response startBuild(String t, String key, String recommender) {
        return Api.as(key).contentType(ContentType.JSON).post(ExpertsData.path(t, recommender) + "/builds");
    }

    @Test
    void shouldCountAnIndexBuildAsAJobAndRefuseTheNextBuildOverConcurrentJobsWith409WhileAnotherTenantBuilds() {
        String busy = Api.uniqueTenant("qbuild");
        String busyAdmin = withTwoRecommenders(busy);
        String other = Api.uniqueTenant("qbuildx");
        String otherAdmin = withTwoRecommenders(other);
        // the busy tenant's first build stays queued or running until released: it holds the tenant's one job
        holds.hold(busy);
        String first;
        String others;
        try {
            Response started = startBuild(busy, busyAdmin, "first");
            assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
            first = started.path("id");

            Response refused = startBuild(busy, busyAdmin, "second");
            refused(refused, 409, "quota-exceeded", "concurrentJobs");
            refused.then().body("max", equalTo(1));
            // the refused build left nothing behind
            Api.as(busyAdmin)
                    .get(ExpertsData.path(busy, "second") + "/builds")
                    .then()
                    .statusCode(200)
                    .body("items.size()", equalTo(0));

            // another tenant on the same plan, with no job of its own, is not held back by the busy one
            Response otherStarted = startBuild(other, otherAdmin, "first");
            assertThat(otherStarted.statusCode()).as(otherStarted.asString()).isEqualTo(202);
            others = otherStarted.path("id");
        } finally {
            holds.releaseAll(busy);
        }
        // both builds end (whatever their outcome on five rows), so no run of this test outlives it
        Fixtures.awaitEnd(
                busyAdmin, ExpertsData.path(busy, "first") + "/builds/" + first, Duration.ofMinutes(8), r -> {});
        Fixtures.awaitEnd(
                otherAdmin, ExpertsData.path(other, "first") + "/builds/" + others, Duration.ofMinutes(8), r -> {});
        // with its job ended, the busy tenant may start the build it was refused
        Response again = startBuild(busy, busyAdmin, "second");
        assertThat(again.statusCode()).as(again.asString()).isEqualTo(202);
        Fixtures.awaitEnd(
                busyAdmin,
                ExpertsData.path(busy, "second") + "/builds/" + again.path("id"),
                Duration.ofMinutes(8),
                r -> {});
    }

    /** Asks for a batch prediction of the model (its path) over the penguins dataset. */
    private static Response startBatch(String key, String model) {
        return Api.as(key)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", "penguins"))
                .post(model + "/batch-predictions");
    }

    static Response upload(String dataset) {
        return Fixtures.upload(tenant, admin, dataset, "application/json", Fixtures.resource("penguins.json"));
    }

    static int versions(String dataset) {
        return Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/datasets/" + dataset + "/versions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items")
                .size();
    }

    @Test
    void shouldRefuseOneDatasetMoreThanThePlanWith409() {
        plan(Map.of("datasets", 1)); // the setup has penguins
        refused(
                Api.as(admin)
                        .contentType(ContentType.JSON)
                        .body("{}")
                        .put("/api/v1/tenants/" + tenant + "/datasets/second"),
                409,
                "quota-exceeded",
                "datasets");
        refused(upload("third"), 409, "quota-exceeded", "datasets");
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/datasets/third")
                .then()
                .statusCode(404);
    }

    @Test
    void shouldRefuseADatasetVersionOverItsRowsWith413AndWriteNothing() {
        int before = versions("penguins");
        plan(Map.of("rowsPerDatasetVersion", 10));
        refused(upload("penguins"), 413, "quota-exceeded", "rowsPerDatasetVersion");
        assertThat(versions("penguins")).isEqualTo(before);
    }

    @Test
    void shouldRefuseAnUploadOverTheStoredBytesWith413AndWriteNothing() {
        int before = versions("penguins");
        plan(Map.of("storedBytes", 1000));
        // rows the dataset does not hold yet: the latest version's rows again would store nothing and be answered
        // unchanged
        byte[] newRows = Fixtures.withoutTheFirstRecord(Fixtures.resource("penguins.json"));
        refused(
                Fixtures.upload(tenant, admin, "penguins", "application/json", newRows),
                413,
                "quota-exceeded",
                "storedBytes");
        assertThat(versions("penguins")).isEqualTo(before);
    }

    /**
     * Uploads were the only writes measured against {@code storedBytes}; a tenant at its limit could go on storing
     * model versions, index generations and batch results without end. Each such job is refused before anything
     * of it is written, and starts again once the plan leaves room.
     */
    @Test
    void shouldRefuseEveryJobThatStoresFilesWith409WhileTheTenantStoresItsWholeStoredBytes() {
        String t = Api.uniqueTenant("qstored");
        String key = withTrainedSpecies(t);
        ExpertsData.recommenderOver(t, key, "experts", 5);
        // its penguins rows and model version alone take more than 1000 bytes
        plan(t, Map.of("storedBytes", 1000));
        String model = "/api/v1/tenants/" + t + "/models/species";

        Response training = Api.as(key).contentType(ContentType.JSON).body("{}").post(model + "/trainings");
        refused(training, 409, "quota-exceeded", "storedBytes");
        training.then().body("max", equalTo(1000));
        refused(startBatch(key, model), 409, "quota-exceeded", "storedBytes");
        refused(startBuild(t, key, "experts"), 409, "quota-exceeded", "storedBytes");
        Api.as(key)
                .get(Fixtures.base(t) + "/trainings?model=species")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1));
        Api.as(key).get(model + "/batch-predictions").then().statusCode(200).body("items.size()", equalTo(0));
        Api.as(key)
                .get(ExpertsData.path(t, "experts") + "/builds")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));

        plan(t, Map.of("storedBytes", 1_000_000_000L));
        Response again = Api.as(key).contentType(ContentType.JSON).body("{}").post(model + "/trainings");
        assertThat(again.statusCode()).as(again.asString()).isEqualTo(202);
        assertThat(Fixtures.awaitEnd(key, Fixtures.trainingPath(t, again.path("id")))
                        .<String>path("status"))
                .isEqualTo("succeeded");
    }

    @Test
    void shouldRefuseAnUploadOverTheConcurrentUploadsWith409AndFreeEachSlot() {
        plan(Map.of("concurrentUploads", 0));
        refused(upload("penguins"), 409, "quota-exceeded", "concurrentUploads");
        plan(Map.of("concurrentUploads", 1));
        // one at a time: each upload gives its slot back, the refused one included
        assertThat(upload("penguins").statusCode()).isIn(200, 201);
        assertThat(upload("penguins").statusCode()).isIn(200, 201);
    }

    @Test
    void shouldRefuseOneRecommenderMoreThanThePlanWith409() {
        io.tenantml.experts.ExpertsData.declare(tenant, admin, "questions");
        plan(Map.of("recommenders", 0));
        refused(
                io.tenantml.experts.ExpertsData.put(
                        tenant, admin, "experts", io.tenantml.experts.ExpertsData.spec("questions")),
                409,
                "quota-exceeded",
                "recommenders");
        plan(Map.of("recommenders", 1));
        assertThat(io.tenantml.experts.ExpertsData.put(
                                tenant, admin, "experts", io.tenantml.experts.ExpertsData.spec("questions"))
                        .statusCode())
                .isEqualTo(201);
        Api.as(admin)
                .delete("/api/v1/tenants/" + tenant + "/recommenders/experts")
                .then()
                .statusCode(204);
    }

    @Test
    void shouldRefuseOneIntegrationKeyMoreThanThePlanWith409() {
        plan(Map.of("integrationClients", 1)); // the setup issued one integration key
        refused(
                Api.as(admin)
                        .contentType(ContentType.JSON)
                        .body(Map.of("name", "second", "role", "integration"))
                        .post("/api/v1/tenants/" + tenant + "/api-keys"),
                409,
                "quota-exceeded",
                "integrationClients");
        // admin keys are no integration clients
        assertThat(Api.createKey(tenant, admin, "admin")).isNotBlank();
    }

    @Test
    void shouldAnswer429WithRetryAfterOverTheRecommendRateAndRecover() {
        plan(Map.of("recommendRequestsPerSecond", 1));
        String path = "/api/v1/tenants/" + tenant + "/recommenders/none/recommend";
        java.util.function.Supplier<Response> recommend = () -> Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Map.of("question", "how?"))
                .post(path);
        // within the rate the request reaches the resource (which refuses it: no such recommender)
        int allowed = recommend.get().statusCode();
        assertThat(allowed).isBetween(400, 404);
        Response refused = null;
        for (int i = 0; i < 20 && refused == null; i++) {
            Response r = recommend.get();
            if (r.statusCode() == 429) {
                refused = r;
            } else {
                assertThat(r.statusCode()).isEqualTo(allowed);
            }
        }
        assertThat(refused).as("a request over 1 per second was refused").isNotNull();
        refused.then()
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://tenantml.io/problems/rate-limited"))
                .body("limit", equalTo("recommendRequestsPerSecond"));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 2L);
        await().atMost(Duration.ofSeconds(5)).until(() -> recommend.get().statusCode() == allowed);
    }

    static Response startTraining() {
        return Api.as(admin)
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/v1/tenants/" + tenant + "/models/species/trainings");
    }
}
