package io.tenantml.training;

import static io.tenantml.testing.Fixtures.startTraining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;

@QuarkusTest
class TrainingResourceTest {

    private static final Map<String, Object> PENGUINS = Map.of(
            "dataset",
            "penguins",
            "target",
            "Species",
            "objective",
            "multiclass",
            "params",
            Map.of("numRounds", 30, "seed", 3),
            "split",
            Map.of("method", "random", "holdoutFraction", 0.25));

    static String base(String tenant) {
        return "/api/v1/tenants/" + tenant;
    }

    static Response putModel(String tenant, String key, String model, Object spec) {
        return Api.as(key).contentType(ContentType.JSON).body(spec).put(base(tenant) + "/models/" + model);
    }

    static Map<String, Object> awaitEnd(String tenant, String key, String id, Set<Double> progressSeen) {
        return Fixtures.awaitEnd(
                        key,
                        Fixtures.trainingPath(tenant, id),
                        Fixtures.JOB_TIMEOUT,
                        r -> progressSeen.add(((Number) r.path("progress")).doubleValue()))
                .path("");
    }

    @Inject
    Scheduler scheduler;

    @Test
    void shouldSpreadANightlyScheduleWrittenWithHPerModelAndSayWhenEachRunsNext() throws Exception {
        String tenant = Api.uniqueTenant("nightly");
        String admin = Api.createTenant(tenant);
        TrainingData.penguins(tenant, admin, "penguins");
        Map<String, Object> nightly = new HashMap<>(PENGUINS);
        nightly.put("schedule", "H H H(0-5) * * ?");
        Set<String> times = new HashSet<>();
        for (String model : List.of("a", "b", "c", "d")) {
            Response put = putModel(tenant, admin, model, nightly);
            assertThat(put.statusCode()).as(put.asString()).isEqualTo(201);
            assertThat(put.<String>path("spec.schedule"))
                    .as("declared form kept")
                    .isEqualTo("H H H(0-5) * * ?");
            String effective = put.path("retraining.schedule");
            assertThat(effective).matches("\\d{1,2} \\d{1,2} [0-5] \\* \\* \\?");
            Instant next = Instant.parse(put.path("retraining.next"));
            assertThat(next).isBetween(Instant.now(), Instant.now().plus(Duration.ofDays(1)));
            assertThat(LocalTime.ofInstant(next, ZoneOffset.UTC).getHour()).isBetween(0, 5);
            // what Quartz runs is the resolved expression, in UTC
            CronTrigger trigger =
                    (CronTrigger) scheduler.getTrigger(TriggerKey.triggerKey("schedule." + model, tenant));
            assertThat(trigger.getCronExpression()).isEqualTo(effective);
            assertThat(trigger.getTimeZone().getID()).isEqualTo("UTC");
            // a second PUT of the same spec keeps the model's time
            assertThat(putModel(tenant, admin, model, nightly).<String>path("retraining.schedule"))
                    .isEqualTo(effective);
            times.add(effective);
        }
        assertThat(times).as("four models, four times of night").hasSize(4);
        nightly.put("schedule", "0 H(0-75) 3 * * ?");
        putModel(tenant, admin, "e", nightly).then().statusCode(400).body("field", equalTo("schedule"));
    }

    @Test
    void shouldTrainPenguinsThroughTheApiAndPromoteVersionOne() {
        String tenant = Api.uniqueTenant("penguins");
        String admin = Api.createTenant(tenant);
        TrainingData.penguins(tenant, admin, "penguins");

        putModel(tenant, admin, "species", PENGUINS).then().statusCode(201).body("name", equalTo("species"));
        putModel(tenant, admin, "species", PENGUINS).then().statusCode(200);
        String id = startTraining(tenant, admin, "species");
        Map<String, Object> training = awaitEnd(tenant, admin, id, new ConcurrentSkipListSet<>());

        assertThat(training.get("status")).as("training %s", training).isEqualTo("succeeded");
        assertThat(training.get("progress")).isEqualTo(1.0f);
        assertThat(training.get("modelVersion")).isEqualTo(1);
        Api.as(admin)
                .get(base(tenant) + "/models/species/versions/1")
                .then()
                .statusCode(200)
                .body("status", equalTo("accepted"))
                .body("dataset.name", equalTo("penguins"))
                .body("dataset.version", equalTo(1))
                .body("dataset.sha256.size()", equalTo(64))
                .body("artifact.format", equalTo("ubj"))
                .body("artifact.sha256.size()", equalTo(64))
                .body("provenance.xgboost", equalTo("3.4.0"))
                .body("provenance.java", startsWith(System.getProperty("java.version")))
                .body("seed", equalTo(3))
                .body("params.numRounds", equalTo(30))
                .body("transform.inputs.column", org.hamcrest.Matchers.hasItem("Island"))
                .body("featureImportance", org.hamcrest.Matchers.hasKey("Flipper Length (mm)"))
                .body("metrics.accuracy", org.hamcrest.Matchers.greaterThan(0.9f))
                .body("baseline.accuracy", org.hamcrest.Matchers.lessThan(0.6f))
                .body("aliases", equalTo(List.of("production")));
        Api.as(admin)
                .get(base(tenant) + "/models/species")
                .then()
                .statusCode(200)
                .body("aliases.production", equalTo(1));
        Api.as(admin)
                .get(base(tenant) + "/trainings?model=species")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].id", equalTo(id));
    }

    @Test
    void shouldRejectInvalidSpecsNamingTheField() {
        String tenant = Api.uniqueTenant("badspec");
        String admin = Api.createTenant(tenant);
        TrainingData.penguins(tenant, admin, "penguins");

        putModel(
                        tenant,
                        admin,
                        "m",
                        Map.of(
                                "dataset",
                                "penguins",
                                "target",
                                "Species",
                                "objective",
                                "multiclass",
                                "features",
                                List.of("Island", "Wingspan")))
                .then()
                .statusCode(400)
                .body("field", equalTo("features[1]"));
        putModel(tenant, admin, "m", Map.of("dataset", "penguins", "target", "Species", "objective", "regression"))
                .then()
                .statusCode(400)
                .body("field", equalTo("target"));
        putModel(
                        tenant,
                        admin,
                        "m",
                        Map.of(
                                "dataset",
                                "penguins",
                                "target",
                                "Species",
                                "objective",
                                "multiclass",
                                "schedule",
                                "every day"))
                .then()
                .statusCode(400)
                .body("field", equalTo("schedule"));
        putModel(
                        tenant,
                        admin,
                        "m",
                        Map.of(
                                "dataset",
                                "penguins",
                                "target",
                                "Species",
                                "objective",
                                "multiclass",
                                "params",
                                Map.of("eta", 5)))
                .then()
                .statusCode(400)
                .body("field", equalTo("params.eta"));
        putModel(tenant, admin, "m", Map.of("dataset", "nope", "target", "Species", "objective", "multiclass"))
                .then()
                .statusCode(400)
                .body("field", equalTo("dataset"));
        putModel(
                        tenant,
                        admin,
                        "m",
                        Map.of("dataset", "penguins", "target", "Species", "objective", "multiclass", "colour", "red"))
                .then()
                .statusCode(400)
                .body("field", equalTo("colour"));
        Api.as(admin).get(base(tenant) + "/models").then().statusCode(200).body("items.size()", equalTo(0));
    }
}
