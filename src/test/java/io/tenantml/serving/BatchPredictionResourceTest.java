package io.tenantml.serving;

import static io.tenantml.serving.ServingFixtures.base;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Concurrently;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.LockWaits;
import io.tenantml.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BatchPredictionResourceTest {

    private static final long SAMPLE_SEED = 20_000L;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    /**
     * A concurrency probe saw every batch running when its model was deleted fail as an internal error with an
     * incident (a foreign key of its rows, a version or file gone). The test holds the batch's row, which the
     * runner's first step and the delete both lock, so that the delete meets a running batch.
     */
    @Test
    void shouldEndABatchWhoseModelIsDeletedUnderItWithoutAnIncident() throws Exception {
        String tenant = Api.uniqueTenant("batch-deleted");
        String admin = Api.createTenant(tenant);
        ServingFixtures.upload(tenant, admin, "flights", "flights-20k.json");
        ServingFixtures.putModel(tenant, admin, "delays", ServingFixtures.FLIGHTS, true);
        ServingFixtures.train(tenant, admin, "delays");
        String models = base(tenant) + "/models/delays";

        String id;
        try (Connection owner = TestDatabase.ownerConnection(jdbcUrl)) {
            owner.setAutoCommit(false);
            try (PreparedStatement ps =
                    owner.prepareStatement("select id from batch_prediction where tenant_id = ?" + " for update")) {
                id = Api.as(admin)
                        .contentType(ContentType.JSON)
                        .body(Map.of("dataset", "flights"))
                        .post(models + "/batch-predictions")
                        .then()
                        .statusCode(202)
                        .extract()
                        .path("id");
                ps.setString(1, tenant);
                ps.executeQuery().close();
            }
            await().atMost(Fixtures.JOB_TIMEOUT).until(() -> runState(owner, id).equals("RUNNING"));
            CompletableFuture<Integer> delete =
                    Concurrently.inBackground(() -> Api.as(admin).delete(models).statusCode());
            owner.commit();
            assertThat(delete.get(60, TimeUnit.SECONDS)).isEqualTo(204);
        }
        try (Connection owner = TestDatabase.ownerConnection(jdbcUrl)) {
            await().atMost(Fixtures.JOB_TIMEOUT)
                    .until(() -> !runState(owner, id).equals("RUNNING"));
            try (PreparedStatement ps =
                    owner.prepareStatement("select state, error_code, incident from run where id = ?::uuid")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("state")).isIn("FAILED", "CANCELLED");
                    assertThat(rs.getString("error_code")).isIn("model-deleted", "batch-missing", "cancelled");
                    assertThat(rs.getString("incident")).isNull();
                }
            }
        }
        Api.as(admin).get(models + "/batch-predictions/" + id).then().statusCode(404);
    }

    /**
     * A batch submitted while a purge of the dataset version or the model version it names is under way (not yet
     * committed) waits for the purge and then answers 410 naming what is gone: before, it saw neither purge, was
     * queued, and failed in its run. Each purge is played by a transaction of the test that takes the purge's lock
     * (the dataset's name lock; the version's row) and marks the version purged, as the purge does, then commits.
     */
    @Test
    void shouldWaitForAPurgeUnderWayAndThenRefuseTheBatchWith410() throws Exception {
        String tenant = Api.uniqueTenant("batch-purge");
        String admin = ServingFixtures.penguinsTenant(tenant);
        String batches = base(tenant) + "/models/species/batch-predictions";
        Map<String, Object> request = Map.of("dataset", "penguins", "datasetVersion", 1, "version", 1);

        String purgeDatasetVersion = "update dataset_version set purged_at = now(), purged_by = 'test',"
                + " purge_reason = 'requested' where tenant_id = ? and version = 1 and dataset_id = (select id from"
                + " dataset where tenant_id = ? and name = 'penguins')";
        Response refused = submitDuringPurge(
                tenant,
                admin,
                request,
                "select pg_advisory_xact_lock(hashtextextended('dataset|' || ? || '|penguins', 0))",
                purgeDatasetVersion);
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(410);
        assertThat(refused.<String>path("type")).endsWith("dataset-version-purged");

        String purgeModelVersion = "update model_version set purged_at = now(), purged_by = 'test',"
                + " purge_reason = 'requested' where tenant_id = ? and model = 'species' and version = 1";
        refused = submitDuringPurge(
                tenant,
                admin,
                Map.of("dataset", "penguins", "version", 1),
                "select 1 from model_version where tenant_id = ? and model = 'species' and version = 1 for update",
                purgeModelVersion);
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(410);
        assertThat(refused.<String>path("type")).endsWith("model-version-purged");
        Api.as(admin).get(batches).then().statusCode(200).body("items.size()", equalTo(0));
    }

    /**
     * Submits {@code request} to the tenant's model "species" while a transaction of the test holds {@code lock} and
     * has run {@code purge} (the tenant is each of their parameters); commits once the submit waits for a lock or
     * has answered, and answers the submit's response.
     */
    private Response submitDuringPurge(
            String tenant, String admin, Map<String, Object> request, String lock, String purge) throws Exception {
        String batches = base(tenant) + "/models/species/batch-predictions";
        try (Connection owner = TestDatabase.ownerConnection(jdbcUrl)) {
            owner.setAutoCommit(false);
            try (PreparedStatement locked = owner.prepareStatement(lock);
                    PreparedStatement purged = owner.prepareStatement(purge)) {
                locked.setString(1, tenant);
                locked.executeQuery().close();
                for (int i = 1; i <= purged.getParameterMetaData().getParameterCount(); i++) {
                    purged.setString(i, tenant);
                }
                assertThat(purged.executeUpdate()).isEqualTo(1);
            }
            CompletableFuture<Response> submit = Concurrently.inBackground(() ->
                    Api.as(admin).contentType(ContentType.JSON).body(request).post(batches));
            await("the submit answered or waiting for the purge's lock")
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> submit.isDone() || LockWaits.sessionsWaiting(owner) > 0);
            owner.commit();
            return submit.get(60, TimeUnit.SECONDS);
        }
    }

    private static String runState(Connection c, String id) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("select state from run where id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    @Test
    void shouldScoreEveryFlightOnceWithTheOnlineScoresAndServeThemByKey() throws Exception {
        String tenant = Api.uniqueTenant("batch");
        String admin = Api.createTenant(tenant);
        String integration = Api.createKey(tenant, admin, "integration");
        ServingFixtures.upload(tenant, admin, "flights", "flights-20k.json");
        ServingFixtures.putModel(tenant, admin, "delays", ServingFixtures.FLIGHTS, true);
        ServingFixtures.train(tenant, admin, "delays");
        String models = base(tenant) + "/models/delays";

        Api.as(integration).get(models + "/precomputed/1").then().statusCode(404);
        Response submitted = Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", "flights"))
                .post(models + "/batch-predictions");
        submitted
                .then()
                .statusCode(202)
                .header("Location", containsString("/batch-predictions/"))
                .body("status", equalTo("queued"))
                .body("rowsTotal", equalTo(20_000));
        String id = submitted.path("id");
        Set<Float> progress = new TreeSet<>();
        Fixtures.awaitEnd(
                        integration,
                        models + "/batch-predictions/" + id,
                        Fixtures.JOB_TIMEOUT,
                        r -> progress.add(r.path("progress")))
                .then()
                .statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("rowsDone", equalTo(20_000))
                .body("progress", equalTo(1.0f));
        assertThat(progress).contains(1.0f);

        Response results = Api.as(integration).get(models + "/batch-predictions/" + id + "/results");
        results.then().statusCode(200).contentType(containsString("text/csv"));
        List<String> lines = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(results.asInputStream(), StandardCharsets.UTF_8))) {
            in.lines().forEach(lines::add);
        }
        assertThat(lines.get(0)).isEqualTo("line,score,label");
        assertThat(lines).hasSize(20_001);
        assertThat(lines.stream()
                        .skip(1)
                        .map(l -> l.substring(0, l.indexOf(',')))
                        .distinct()
                        .count())
                .isEqualTo(20_000);

        List<Map<String, Object>> flights =
                new ObjectMapper().readValue(ServingFixtures.resource("flights-20k.json"), new TypeReference<>() {});
        Random random = new Random(SAMPLE_SEED);
        List<Integer> sample = new ArrayList<>(List.of(1, 20_000));
        for (int i = 0; i < 20; i++) {
            sample.add(1 + random.nextInt(20_000));
        }
        for (int line : sample) {
            String[] csv = lines.get(line).split(",");
            assertThat(csv[0]).isEqualTo(Integer.toString(line));
            double batchScore = Double.parseDouble(csv[1]);
            Map<String, Object> record = flights.get(line - 1);
            Response online = Api.as(integration)
                    .contentType(ContentType.JSON)
                    .body(Map.of("records", List.of(record)))
                    .post(models + "/predict");
            assertThat(online.jsonPath().getDouble("predictions[0].score"))
                    .as("line %d (seed %d)", line, SAMPLE_SEED)
                    .isCloseTo(batchScore, within(1e-6));
            assertThat(online.<String>path("predictions[0].label")).isEqualTo(csv[2]);
            Response precomputed = Api.as(integration).get(models + "/precomputed/" + line);
            precomputed
                    .then()
                    .statusCode(200)
                    .body("batchId", equalTo(id))
                    .body("version", equalTo(1))
                    .body("key", equalTo(Integer.toString(line)));
            assertThat(precomputed.jsonPath().getDouble("score")).isCloseTo(batchScore, within(1e-6));
        }
        Api.as(integration).get(models + "/precomputed/20001").then().statusCode(404);
        Api.as(integration)
                .get(models + "/batch-predictions")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1));
    }

    @Test
    void shouldRefuseABatchForAMissingDatasetOrModel() {
        String tenant = Api.uniqueTenant("batch");
        String admin = ServingFixtures.penguinsTenant(tenant);
        String models = base(tenant) + "/models/species";
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", "nope"))
                .post(models + "/batch-predictions")
                .then()
                .statusCode(404);
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", "penguins", "datasetVersion", 9))
                .post(models + "/batch-predictions")
                .then()
                .statusCode(404);
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of())
                .post(models + "/batch-predictions")
                .then()
                .statusCode(400)
                .body("field", equalTo("dataset"));
        // no version can be numbered 0: the request is wrong, not the version missing
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", "penguins", "datasetVersion", 0))
                .post(models + "/batch-predictions")
                .then()
                .statusCode(400)
                .body("field", equalTo("datasetVersion"));
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", "penguins"))
                .post(base(tenant) + "/models/ghost/batch-predictions")
                .then()
                .statusCode(404);
        Api.as(admin)
                .get(models + "/batch-predictions/" + java.util.UUID.randomUUID())
                .then()
                .statusCode(404);
    }

    @Test
    void shouldServePenguinBatchWithClassProbabilities() throws Exception {
        String tenant = Api.uniqueTenant("batch");
        String admin = ServingFixtures.penguinsTenant(tenant);
        String models = base(tenant) + "/models/species";
        String[] batch = succeededPenguinBatch(admin, models);
        String id = batch[0];
        String sha256 = batch[1];
        Response results = Api.as(admin).get(models + "/batch-predictions/" + id + "/results");
        results.then().statusCode(200).header("ETag", equalTo("\"" + sha256 + "\""));
        assertThat(java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(results.asByteArray())))
                .as("the ETag is the SHA-256 of the bytes served")
                .isEqualTo(sha256);
        Api.as(admin)
                .header("If-None-Match", "\"" + sha256 + "\"")
                .get(models + "/batch-predictions/" + id + "/results")
                .then()
                .statusCode(304)
                .header("ETag", equalTo("\"" + sha256 + "\""));
        String csv = results.asString();
        assertThat(csv.lines().findFirst())
                .contains("line,score,label,probability:Adelie,probability:Chinstrap,probability:Gentoo");
        assertThat(csv.lines().count()).isEqualTo(345);
        Response row = Api.as(admin).get(models + "/precomputed/1");
        row.then().statusCode(200).body("label", equalTo("Adelie"));
        Map<String, Float> p = row.path("probabilities");
        assertThat(p.values().stream().mapToDouble(Float::doubleValue).sum()).isCloseTo(1.0, within(1e-5));
    }

    /** A broken download of a large file resumes from where it stopped instead of starting again. */
    @Test
    void shouldResumeADownloadOfResultsWithARange() {
        String tenant = Api.uniqueTenant("batch");
        String admin = ServingFixtures.penguinsTenant(tenant);
        String models = base(tenant) + "/models/species";
        String[] batch = succeededPenguinBatch(admin, models);
        String id = batch[0];
        String sha256 = batch[1];
        String path = models + "/batch-predictions/" + id + "/results";
        Response whole = Api.as(admin).get(path);
        whole.then().statusCode(200).header("Accept-Ranges", equalTo("bytes"));
        byte[] all = whole.asByteArray();
        int size = all.length;
        assertThat(whole.header("Content-Length")).isEqualTo(Integer.toString(size));

        Response head = Api.as(admin).header("Range", "bytes=0-99").get(path);
        head.then()
                .statusCode(206)
                .header("Content-Range", equalTo("bytes 0-99/" + size))
                .header("ETag", equalTo("\"" + sha256 + "\""));
        Response rest = Api.as(admin)
                .header("Range", "bytes=100-")
                .header("If-Range", "\"" + sha256 + "\"")
                .get(path);
        rest.then().statusCode(206).header("Content-Range", equalTo("bytes 100-" + (size - 1) + "/" + size));
        byte[] resumed = new byte[size];
        System.arraycopy(head.asByteArray(), 0, resumed, 0, 100);
        System.arraycopy(rest.asByteArray(), 0, resumed, 100, size - 100);
        assertThat(resumed).as("the two parts make the whole").isEqualTo(all);
        assertThat(Api.as(admin).header("Range", "bytes=-10").get(path).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(all, size - 10, size));

        // results that changed since the first part (another ETag) come whole, never spliced
        Api.as(admin)
                .header("Range", "bytes=100-")
                .header("If-Range", "\"0000\"")
                .get(path)
                .then()
                .statusCode(200)
                .header("Content-Length", equalTo(Integer.toString(size)));
        Api.as(admin)
                .header("Range", "bytes=" + size + "-")
                .get(path)
                .then()
                .statusCode(416)
                .contentType("application/problem+json")
                .header("Content-Range", equalTo("bytes */" + size))
                .body("type", endsWith("/range-not-satisfiable"))
                .body("parameter", equalTo("Range"))
                .body(
                        "detail",
                        equalTo("Range starts at byte " + size + ", but the file has " + size + " bytes (the last is "
                                + (size - 1) + ")"));
        Api.as(admin)
                .header("Range", "bytes=abc")
                .get(path)
                .then()
                .statusCode(416)
                .body("detail", org.hamcrest.Matchers.startsWith("Range 'bytes=abc' is not a byte range"));
    }

    /** A batch over the penguins' version 1, awaited to success: its id and resultsSha256. */
    private static String[] succeededPenguinBatch(String admin, String models) {
        String id = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", "penguins", "datasetVersion", 1))
                .post(models + "/batch-predictions")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String sha256 = Fixtures.awaitEnd(admin, models + "/batch-predictions/" + id)
                .then()
                .body("status", equalTo("succeeded"))
                .extract()
                .path("resultsSha256");
        return new String[] {id, sha256};
    }
}
