package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.ChurnRows;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A window's performance in what the monitoring endpoints answer: a binary model really trained and served
 * through /predict, feedback for part of its predictions, a window run, then the latest window and the
 * windows list carry realised metrics (with their label count), CBPE's estimate and the validation figures.
 * The world: churn whose probability rises with {@code usage} and depends on {@code plan} (fixed seeds).
 */
@QuarkusTest
class WindowPerformanceResourceTest {

    private static final long SEED = 29L;
    private static final String MODEL = "churn";
    private static final ChurnRows.Truth TRUTH = new ChurnRows.Truth(1.4, 0.8, -0.4, -1.2);

    @Inject
    PredictionLog log;

    @Inject
    RealisedPerformance performance;

    @Inject
    ObjectMapper json;

    @Test
    void shouldShowRealisedAndEstimatedPerformanceInTheLatestWindowAndTheWindowsListFittingCbpeOncePerVersion()
            throws Exception {
        String tenant = Api.uniqueTenant("monperf");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(
                tenant, admin, "customers", "text/csv", ChurnRows.csv(ChurnRows.rows(TRUTH, SEED, 3000)));
        Fixtures.defineModel(
                tenant,
                admin,
                MODEL,
                ChurnRows.spec(Map.of("numRounds", 30, "eta", 0.3, "maxDepth", 3, "seed", SEED)),
                true);
        int version = Fixtures.train(tenant, admin, MODEL);
        String base = Fixtures.base(tenant) + "/models/" + MODEL;

        List<ChurnRows.Row> traffic = ChurnRows.rows(TRUTH, SEED + 1, 600);
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < traffic.size(); from += 250) {
            List<Map<String, Object>> records = new ArrayList<>();
            traffic.subList(from, Math.min(traffic.size(), from + 250))
                    .forEach(r -> records.add(Map.of("usage", r.usage(), "plan", r.plan())));
            Response r = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("records", records))
                    .post(base + "/predict");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            ids.addAll(r.jsonPath().getList("predictions.id"));
        }
        assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
        // labels for the first 400 predictions; the other 200 stay unlabelled
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            items.add(Map.of(
                    "predictionId",
                    ids.get(i),
                    "label",
                    Boolean.toString(traffic.get(i).churned())));
        }
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(items)
                .post(base + "/feedback")
                .then()
                .statusCode(202);

        long fitsBefore = performance.fits();
        Response started = Api.as(admin).post(base + "/monitoring/run");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        Response end = Fixtures.awaitEnd(admin, base + "/monitoring/runs/" + started.path("id"));
        assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");
        // the run assesses its latest window for the performance gauges just after it ends, fitting the estimator
        await("the run's performance gauges")
                .atMost(Duration.ofSeconds(30))
                .until(() -> performance.hasEstimator(tenant, MODEL, version));
        Response latest = Api.as(admin).get(base + "/monitoring");
        assertThat(latest.statusCode()).as(latest.asString()).isEqualTo(200);
        JsonPath w = latest.jsonPath();
        int records = w.getInt("records");
        assertThat(records)
                .as("the 600 served, in one hour or split across two")
                .isBetween(1, 600);
        assertPerformance(w, "performance", version, records, latest.asString());

        Response page = Api.as(admin).get(base + "/monitoring/windows?granularity=hour");
        assertThat(page.statusCode()).as(page.asString()).isEqualTo(200);
        List<Map<String, Object>> windows = page.path("items");
        assertThat(windows).isNotEmpty();
        long labels = 0;
        for (int i = 0; i < windows.size(); i++) {
            JsonPath item = page.jsonPath().setRootPath("items[" + i + "]");
            assertThat(item.getLong("performance.scoredPredictions")).isEqualTo(item.getLong("scoredRecords"));
            labels += item.getLong("performance.realised.labels");
            assertThat(item.getMap("performance.estimated.metrics")).containsKeys("auc", "accuracy", "f1");
        }
        assertThat(labels)
                .as("every label answers a prediction of one listed window")
                .isEqualTo(400);
        Response day = Api.as(admin).get(base + "/monitoring/windows?granularity=day");
        assertThat(day.statusCode()).as(day.asString()).isEqualTo(200);
        List<Integer> dayLabels = day.path("items.performance.realised.labels");
        assertThat(dayLabels.stream().mapToInt(Integer::intValue).sum()).isEqualTo(400);
        // one version: its estimator was fitted once (by the run, for the performance gauges of its latest window)
        // and reused for the latest window and every window of the hour and day pages
        assertThat(performance.fits() - fitsBefore).isEqualTo(1);
        assertThat(performance.hasEstimator(tenant, MODEL, version)).isTrue();

        // deleting the model drops its fitted estimator on every node (here through the cluster event)
        Api.as(admin).delete(base).then().statusCode(204);
        await("the deleted model's estimator to go")
                .atMost(Duration.ofSeconds(30))
                .until(() -> !performance.hasEstimator(tenant, MODEL, version));
    }

    /** The window's performance: realised with its labels, CBPE's estimate over every scored record, reference. */
    private static void assertPerformance(JsonPath w, String at, int version, int records, String body) {
        assertThat(w.getInt(at + ".version")).isEqualTo(version);
        assertThat(w.getString(at + ".objective")).isEqualTo("binary");
        assertThat(w.getLong(at + ".scoredPredictions")).as(body).isEqualTo(records);
        if (records == 600) {
            assertThat(w.getLong(at + ".realised.labels")).as(body).isEqualTo(400);
        } else if (w.getLong(at + ".realised.labels") == 0) {
            return; // the hour turned after the labelled predictions: this window has none (the list checks them)
        }
        for (String metric : List.of("auc", "accuracy", "logloss")) {
            double value = w.getDouble(at + ".realised.metrics." + metric + ".value");
            assertThat(w.getDouble(at + ".realised.metrics." + metric + ".lower"))
                    .isLessThanOrEqualTo(value);
            assertThat(w.getDouble(at + ".realised.metrics." + metric + ".upper"))
                    .isGreaterThanOrEqualTo(value);
        }
        assertThat(w.getDouble(at + ".realised.metrics.auc.value"))
                .as("a model that learnt something")
                .isGreaterThan(0.6);
        assertThat(w.getLong(at + ".estimated.rows")).isEqualTo(records);
        double estimated = w.getDouble(at + ".estimated.metrics.accuracy.value");
        assertThat(estimated)
                .isBetween(
                        w.getDouble(at + ".estimated.metrics.accuracy.lower"),
                        w.getDouble(at + ".estimated.metrics.accuracy.upper"));
        assertThat(w.getMap(at + ".reference")).containsKey("auc");
    }
}
