package io.tenantml.serving;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Serving test set-up through the public API: upload a data set, declare a model, train it. */
final class ServingFixtures {

    static final long SEED = 5;

    static final Map<String, Object> PENGUINS = Fixtures.penguinsSpecies(20, SEED);

    static final Map<String, Object> FLIGHTS = Map.of(
            "dataset",
            "flights",
            "target",
            "delay",
            "objective",
            "binary",
            "positive",
            Map.of("above", 15),
            "features",
            List.of("date", "distance", "origin", "destination"),
            "params",
            Map.of("numRounds", 20, "seed", SEED));

    private ServingFixtures() {}

    static String base(String tenant) {
        return "/api/v1/tenants/" + tenant;
    }

    static byte[] resource(String name) {
        return Fixtures.resource(name);
    }

    static void upload(String tenant, String key, String dataset, String file) {
        Fixtures.uploadResource(tenant, key, dataset, file);
    }

    static void putModel(String tenant, String key, String model, Map<String, Object> spec, boolean autoPromote) {
        Fixtures.defineModel(tenant, key, model, spec, autoPromote);
    }

    /** Trains the model on its latest dataset version and returns the new model version. */
    static int train(String tenant, String key, String model) {
        return Fixtures.train(tenant, key, model);
    }

    /** Runs a batch prediction of the model over the dataset's latest version, waits until it succeeded: its id. */
    static String finishedBatch(String tenant, String key, String model, String dataset) {
        String batches = base(tenant) + "/models/" + model + "/batch-predictions";
        String id = Api.as(key)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", dataset))
                .post(batches)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Response end = Fixtures.awaitEnd(key, batches + "/" + id);
        if (!"succeeded".equals(end.path("status"))) {
            throw new AssertionError("batch " + id + " did not succeed: " + end.asString());
        }
        return id;
    }

    /** A tenant with penguins uploaded and a trained, promoted penguins model named "species". */
    static String penguinsTenant(String tenant) {
        String admin = Api.createTenant(tenant);
        upload(tenant, admin, "penguins", "penguins.json");
        putModel(tenant, admin, "species", PENGUINS, true);
        train(tenant, admin, "species");
        return admin;
    }

    static Map<String, Object> penguin() {
        Map<String, Object> record = new HashMap<>();
        record.put("Island", "Biscoe");
        record.put("Beak Length (mm)", 47.5);
        record.put("Beak Depth (mm)", 15.0);
        record.put("Flipper Length (mm)", 218);
        record.put("Body Mass (g)", 4950);
        record.put("Sex", "FEMALE");
        return record;
    }

    static Response predict(String tenant, String key, String model, Map<String, Object> body) {
        return Api.as(key)
                .contentType(ContentType.JSON)
                .body(body)
                .post(base(tenant) + "/models/" + model + "/predict");
    }
}
