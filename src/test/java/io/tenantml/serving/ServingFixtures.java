package io.tenantml.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Serving test set-up through the public API: upload a data set, declare a model, train it. */
final class ServingFixtures {

    static final long SEED = 5;

    static final Map<String, Object> PENGUINS = Map.of(
            "dataset",
            "penguins",
            "target",
            "Species",
            "objective",
            "multiclass",
            "params",
            Map.of("numRounds", 20, "seed", SEED));

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
        try (InputStream in = ServingFixtures.class.getResourceAsStream("/datasets/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void upload(String tenant, String key, String dataset, String file) {
        Api.as(key)
                .contentType(ContentType.JSON)
                .body(resource(file))
                .post(base(tenant) + "/datasets/" + dataset + "/versions")
                .then()
                .statusCode(201);
    }

    static void putModel(String tenant, String key, String model, Map<String, Object> spec, boolean autoPromote) {
        Map<String, Object> body = new HashMap<>(spec);
        body.put("autoPromote", autoPromote);
        Response r = Api.as(key).contentType(ContentType.JSON).body(body).put(base(tenant) + "/models/" + model);
        assertThat(r.statusCode()).as(r.asString()).isIn(200, 201);
    }

    /** Trains the model on its latest dataset version and returns the new model version. */
    static int train(String tenant, String key, String model) {
        String id = Api.as(key)
                .contentType(ContentType.JSON)
                .body("{}")
                .post(base(tenant) + "/models/" + model + "/trainings")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    String status =
                            Api.as(key).get(base(tenant) + "/trainings/" + id).path("status");
                    return !List.of("queued", "running").contains(status);
                });
        Response r = Api.as(key).get(base(tenant) + "/trainings/" + id);
        assertThat(r.<String>path("status")).as(r.asString()).isEqualTo("succeeded");
        return r.path("modelVersion");
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
