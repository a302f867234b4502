package io.tenantml.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one place for test set-up through the public API, as a tenant would do it: data sets from
 * {@code src/test/resources/datasets}, uploads, model specs, trainings, and waiting for a job to end. Every
 * method takes {@code (tenant, key, ...)} in that order.
 */
public final class Fixtures {

    /** Statuses of a job (training, batch prediction, build) that has not ended yet. */
    public static final Set<String> ACTIVE = Set.of("queued", "running");

    /** How long a test job may take on a loaded 2-core machine before a wait gives up. */
    public static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    /** A small model of dataset "penguins" (penguins.json uploaded): the species from the other columns. */
    public static final Map<String, Object> PENGUINS_SPECIES = penguinsSpecies(5, 5);

    /** A model of dataset "penguins": the species from the other columns, in {@code numRounds} rounds. */
    public static Map<String, Object> penguinsSpecies(int numRounds, long seed) {
        return Map.of(
                "dataset",
                "penguins",
                "target",
                "Species",
                "objective",
                "multiclass",
                "params",
                Map.of("numRounds", numRounds, "seed", seed));
    }

    private Fixtures() {}

    public static String base(String tenant) {
        return "/api/v1/tenants/" + tenant;
    }

    /** A committed test data set, by file name under {@code src/test/resources/datasets}. */
    public static byte[] resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/datasets/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test data set " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets the tenant's plan limits as an operator (the limits not named keep their defaults). */
    public static void plan(String tenant, Map<String, Object> limits) {
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("limits", limits))
                .put("/api/v1/tenants/" + tenant + "/plan")
                .then()
                .statusCode(200);
    }

    public static String datasetPath(String tenant, String dataset) {
        return base(tenant) + "/datasets/" + dataset;
    }

    /** Posts a new version and returns the answer as it is, whatever its status. */
    public static Response upload(String tenant, String key, String dataset, String contentType, byte[] body) {
        return Api.as(key).contentType(contentType).body(body).post(datasetPath(tenant, dataset) + "/versions");
    }

    /** Uploads a body (CSV when the name says so, else JSON) and returns the new version number. */
    public static int uploadVersion(String tenant, String key, String dataset, String contentType, byte[] body) {
        Response r = upload(tenant, key, dataset, contentType, body);
        assertThat(r.statusCode()).as(r.asString()).isIn(200, 201);
        return r.path("version");
    }

    /** Uploads a committed data set file (by extension: CSV or JSON) and returns the new version number. */
    public static int uploadResource(String tenant, String key, String dataset, String file) {
        String type = file.endsWith(".csv") ? "text/csv" : ContentType.JSON.toString();
        return uploadVersion(tenant, key, dataset, type, resource(file));
    }

    /**
     * The records of a JSON array without its first one: rows a dataset holding {@code jsonArray} does not hold
     * (an upload identical to the latest version makes no version).
     */
    public static byte[] withoutTheFirstRecord(byte[] jsonArray) {
        return editRecords(jsonArray, records -> records.remove(0));
    }

    /**
     * The records of a JSON array with its first two in the other order: the same rows, counts and profile, but a
     * new version after one holding {@code jsonArray} (an upload identical to the latest version makes none).
     */
    public static byte[] withTheFirstTwoRecordsSwapped(byte[] jsonArray) {
        return editRecords(jsonArray, records -> records.insert(0, records.remove(1)));
    }

    private static byte[] editRecords(byte[] jsonArray, Consumer<com.fasterxml.jackson.databind.node.ArrayNode> edit) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ArrayNode records =
                    (com.fasterxml.jackson.databind.node.ArrayNode) json.readTree(jsonArray);
            edit.accept(records);
            return json.writeValueAsBytes(records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Declares (or replaces) a data set's schema; {@code schema} is the JSON object of the API. */
    public static void declareDataset(String tenant, String key, String dataset, Map<String, Object> schema) {
        Response r = Api.as(key)
                .contentType(ContentType.JSON)
                .body(Map.of("schema", schema))
                .put(datasetPath(tenant, dataset));
        assertThat(r.statusCode()).as(r.asString()).isIn(200, 201);
    }

    /** Puts a model spec and returns the answer as it is. */
    public static Response putModel(String tenant, String key, String model, Map<String, Object> spec) {
        return Api.as(key).contentType(ContentType.JSON).body(spec).put(base(tenant) + "/models/" + model);
    }

    /** Puts a model spec with {@code autoPromote} set, failing unless it is created or replaced. */
    public static void defineModel(
            String tenant, String key, String model, Map<String, Object> spec, boolean autoPromote) {
        Map<String, Object> body = new HashMap<>(spec);
        body.put("autoPromote", autoPromote);
        Response r = putModel(tenant, key, model, body);
        assertThat(r.statusCode()).as(r.asString()).isIn(200, 201);
    }

    /**
     * Queues a training of the model on its latest dataset version (202, queued, Location naming it); returns
     * the training id.
     */
    public static String startTraining(String tenant, String key, String model) {
        Response r = Api.as(key)
                .contentType(ContentType.JSON)
                .body("{}")
                .post(base(tenant) + "/models/" + model + "/trainings");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(202);
        assertThat(r.<String>path("status")).isEqualTo("queued");
        String id = r.path("id");
        assertThat(r.header("Location")).endsWith("/trainings/" + id);
        return id;
    }

    public static String trainingPath(String tenant, String id) {
        return base(tenant) + "/trainings/" + id;
    }

    /** Trains the model on its latest dataset version, fails unless it succeeds, returns the new version. */
    public static int train(String tenant, String key, String model) {
        Response end = awaitEnd(key, trainingPath(tenant, startTraining(tenant, key, model)));
        assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");
        return end.path("modelVersion");
    }

    /** Polls a job's resource until its status is no longer queued or running; returns the final answer. */
    public static Response awaitEnd(String key, String path) {
        return awaitEnd(key, path, JOB_TIMEOUT, r -> {});
    }

    /**
     * Polls a job's resource (a training, a batch prediction, a build) until its {@code status} is no longer
     * queued or running, handing every answer seen to {@code onPoll} (to record progress, say).
     */
    public static Response awaitEnd(String key, String path, Duration atMost, Consumer<Response> onPoll) {
        Response[] last = new Response[1];
        await("job at " + path + " to end")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Response r = Api.as(key).get(path);
                    assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
                    onPoll.accept(r);
                    last[0] = r;
                    return !ACTIVE.contains(r.<String>path("status"));
                });
        return last[0];
    }

    /** Profiles the model's log now (POST .../monitoring/run), fails unless the run succeeds; returns its id. */
    public static String runMonitoring(String tenant, String key, String model) {
        String monitoring = base(tenant) + "/models/" + model + "/monitoring";
        Response started = Api.as(key).post(monitoring + "/run");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        String id = started.path("id");
        Response end = awaitEnd(key, monitoring + "/runs/" + id);
        assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");
        return id;
    }

    /** How many events of this type the tenant's outbox holds (read from the database, not from a receiver). */
    public static int events(javax.sql.DataSource dataSource, String tenant, String type) throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.PreparedStatement ps =
                        c.prepareStatement("select count(*) from tenant_event where tenant_id = ? and type = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, type);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
