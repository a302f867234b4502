package io.tenantml.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.monitoring.PredictionLog;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, a retrain rule with {@code includeFeedback}: the drifting traffic, once labelled, is appended to the
 * model's dataset as a new version (lineage to the log windows) and the retraining trains on that version.
 */
@QuarkusTest
class RetrainWithFeedbackResourceTest {

    private static final long SEED = 1213L;
    private static final String[] REGIONS = {"north", "east", "south", "west"};

    @Inject
    PredictionLog log;

    private static double y(double stable, double moving, String region) {
        return 2 * stable + moving + (region.equals("north") ? 1 : 0);
    }

    @Test
    void shouldAppendTheLabelledDriftingTrafficAsANewVersionAndTrainOnIt() throws Exception {
        String tenant = Api.uniqueTenant("rulefb");
        String admin = Api.createTenant(tenant);
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder csv = new StringBuilder("stable,moving,region,y\n");
        for (int i = 0; i < 2000; i++) {
            double stable = random.nextGaussian();
            double moving = random.nextGaussian();
            String region = REGIONS[random.nextInt(REGIONS.length)];
            csv.append(String.format(
                    Locale.ROOT,
                    "%.4f,%.4f,%s,%.4f%n",
                    stable,
                    moving,
                    region,
                    y(stable, moving, region) + 0.1 * random.nextGaussian()));
        }
        Fixtures.uploadVersion(
                tenant, admin, "points", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        Fixtures.defineModel(
                tenant,
                admin,
                "scores",
                Map.of(
                        "dataset", "points",
                        "target", "y",
                        "objective", "regression",
                        "params", Map.of("numRounds", 10, "seed", SEED)),
                true);
        Fixtures.train(tenant, admin, "scores");
        String rules = Fixtures.base(tenant) + "/models/scores/monitoring/rules";
        Response put = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "rules",
                        List.of(Map.of(
                                "signal",
                                "featureDrift",
                                "features",
                                List.of("moving"),
                                "action",
                                "retrain",
                                "includeFeedback",
                                true))))
                .put(rules);
        assertThat(put.statusCode()).as(put.asString()).isEqualTo(200);
        assertThat(put.<Boolean>path("rules[0].rule.includeFeedback")).isTrue();

        // 600 records with "moving" shifted by one standard deviation, each labelled (seed in the name above)
        List<Map<String, Object>> records = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            double stable = Math.round(random.nextGaussian() * 1e4) / 1e4;
            double moving = Math.round((1.0 + random.nextGaussian()) * 1e4) / 1e4;
            String region = REGIONS[random.nextInt(REGIONS.length)];
            Map<String, Object> r = new HashMap<>();
            r.put("stable", stable);
            r.put("moving", moving);
            r.put("region", region);
            records.add(r);
            labels.add(y(stable, moving, region));
        }
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < records.size(); from += 300) {
            Response r = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("records", records.subList(from, from + 300)))
                    .post(Fixtures.base(tenant) + "/models/scores/predict");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            ids.addAll(r.jsonPath().getList("predictions.id"));
        }
        assertThat(log.flush(Duration.ofSeconds(20))).isTrue();
        List<Map<String, Object>> feedback = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            feedback.add(Map.of("predictionId", ids.get(i), "value", labels.get(i)));
        }
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(feedback)
                .post(Fixtures.base(tenant) + "/models/scores/feedback")
                .then()
                .statusCode(202);
        String base = Fixtures.base(tenant) + "/models/scores/monitoring";
        Response started = Api.as(admin).post(base + "/run");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        Response end = Fixtures.awaitEnd(admin, base + "/runs/" + started.<String>path("id"));
        assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");

        // the retrain starts after the run's commit (WindowListener.committed): awaited
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Api.as(admin).get(rules).path("rules[0].state.lastTraining") != null);
        Response state = Api.as(admin).get(rules);
        String training = state.path("rules[0].state.lastTraining");
        assertThat(state.<List<String>>path("recentFirings.findAll { it.kind == 'retrain' }.note"))
                .as(state.asString())
                .containsExactly("appended 600 labelled production records to dataset 'points' as version 2");
        Response retrained = Fixtures.awaitEnd(admin, Fixtures.trainingPath(tenant, training));
        assertThat(retrained.<String>path("status")).as(retrained.asString()).isIn("succeeded", "rejected");
        assertThat(retrained.<Integer>path("datasetVersion"))
                .as(retrained.asString())
                .isEqualTo(2);
        assertThat(retrained.<String>path("trigger")).isEqualTo("rule");

        Response v2 = Api.as(admin).get(Fixtures.datasetPath(tenant, "points") + "/versions/2");
        assertThat(v2.statusCode()).as(v2.asString()).isEqualTo(200);
        assertThat(v2.jsonPath().getLong("rows")).isEqualTo(2600);
        assertThat(v2.<String>path("provenance.source")).isEqualTo("prediction-feedback");
        assertThat(v2.<String>path("provenance.model")).isEqualTo("scores");
        assertThat(v2.<Integer>path("provenance.appendedTo")).isEqualTo(1);
        assertThat(v2.<Integer>path("provenance.appendedRows")).isEqualTo(600);
        List<Integer> inWindows = v2.path("provenance.windows.records");
        assertThat(inWindows.stream().mapToInt(Integer::intValue).sum()).isEqualTo(600);
        // the append is on the audit trail, with the rule as the system actor
        Response audit = Api.as(admin).get("/api/v1/tenants/" + tenant + "/audit?action=dataset.version.appended");
        assertThat(audit.statusCode()).as(audit.asString()).isEqualTo(200);
        assertThat(audit.<List<String>>path("items.actor.subject"))
                .as(audit.asString())
                .containsExactly("rule");
        assertThat(audit.<List<String>>path("items.target")).containsExactly("dataset=points, version=2");
    }
}
