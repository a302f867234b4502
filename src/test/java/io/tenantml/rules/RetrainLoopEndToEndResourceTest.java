package io.tenantml.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.monitoring.PredictionLog;
import io.tenantml.testing.Api;
import io.tenantml.testing.CsvTable;
import io.tenantml.testing.Fixtures;
import io.tenantml.webhooks.WebhookReceiver;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, acceptance 1, through the API only: seattle-weather trained on 2012; a featureDrift rule on
 * temp_max alerts, a second one retrains under a cooldown; 2013–2015 are served through /predict in time order,
 * labelled through /feedback, with a window run after each of three parts. One alert and one retraining for the
 * episode, not one per window; the retraining trains on the latest dataset version, which holds the labelled
 * 2013–2015 days (a retraining on 2012 alone would be the same model again, let through by its gate only as a
 * tie), passes its gate against the 2012 model on days neither trained on, and moves production. A receiver on
 * an allow-listed loopback port gets monitoring.drift, training.succeeded and model.promoted, each signature
 * checked here by its own HMAC-SHA256, not by the platform's signer. (The retraining with includeFeedback is
 * RetrainWithFeedbackResourceTest's.)
 */
@QuarkusTest
class RetrainLoopEndToEndResourceTest {

    private static final long SEED = 2012L;
    private static final int PORT = 18590;
    private static final List<String> FEATURES = List.of("precipitation", "temp_max", "temp_min", "wind");

    static WebhookReceiver receiver;

    @Inject
    PredictionLog log;

    @BeforeAll
    static void startReceiver() {
        receiver = new WebhookReceiver(PORT);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    /** Serves days through /predict, labels every prediction with the day's weather, runs a window. */
    private void serveLabelAndRun(String tenant, String admin, List<Map<String, String>> days) throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, String> r : days) {
            Map<String, Object> record = new LinkedHashMap<>();
            FEATURES.forEach(f -> record.put(f, Double.parseDouble(r.get(f))));
            records.add(record);
        }
        Response r = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("records", records))
                .post(Fixtures.base(tenant) + "/models/weather/predict");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        List<String> ids = r.jsonPath().getList("predictions.id");
        assertThat(ids).hasSize(days.size());
        assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
        List<Map<String, Object>> labels = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            labels.add(Map.of("predictionId", ids.get(i), "label", days.get(i).get("weather")));
        }
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(labels)
                .post(Fixtures.base(tenant) + "/models/weather/feedback")
                .then()
                .statusCode(202);
        String base = Fixtures.base(tenant) + "/models/weather/monitoring";
        Response started = Api.as(admin).post(base + "/run");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        Response end = Fixtures.awaitEnd(admin, base + "/runs/" + started.<String>path("id"));
        assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");
        Response latest = Api.as(admin).get(base);
        System.out.println("window after " + days.get(0).get("date") + ".."
                + days.get(days.size() - 1).get("date") + ": " + latest.asString());
    }

    private static List<Map<String, Object>> ruleTrainings(String tenant, String admin) {
        Response list = Api.as(admin).get(Fixtures.base(tenant) + "/trainings?model=weather&limit=100");
        assertThat(list.statusCode()).as(list.asString()).isEqualTo(200);
        List<Map<String, Object>> items = list.path("items");
        return items.stream().filter(t -> "rule".equals(t.get("trigger"))).toList();
    }

    /** Standard Webhooks: v1,base64(HMAC-SHA256(base64-decoded secret after whsec_, id.timestamp.body)). */
    private static boolean signedWith(String secret, WebhookReceiver.Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((r.webhookId() + "." + r.timestamp() + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected =
                ("v1," + Base64.getEncoder().encodeToString(mac.doFinal(r.raw()))).getBytes(StandardCharsets.US_ASCII);
        boolean found = false;
        for (String candidate : r.signature().trim().split(" +")) {
            found |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return found;
    }

    @Test
    void shouldAlertAndRetrainOnceThroughTheGateAndSignEveryEventWhenTheWeatherMovesAfter2012() throws Exception {
        String tenant = Api.uniqueTenant("loop");
        String admin = Api.createTenant(tenant);
        List<Map<String, String>> all = CsvTable.rows("seattle-weather.csv");
        List<Map<String, String>> y2012 =
                all.stream().filter(r -> r.get("date").startsWith("2012")).toList();
        List<Map<String, String>> later =
                all.stream().filter(r -> !r.get("date").startsWith("2012")).toList();
        assertThat(y2012).hasSize(366);
        assertThat(later).hasSize(1095);
        Fixtures.declareDataset(
                tenant,
                admin,
                "weather",
                Map.of(
                        "columns",
                        List.of(
                                Map.of("name", "date", "type", "timestamp"),
                                Map.of("name", "precipitation", "type", "numeric"),
                                Map.of("name", "temp_max", "type", "numeric"),
                                Map.of("name", "temp_min", "type", "numeric"),
                                Map.of("name", "wind", "type", "numeric"),
                                Map.of("name", "weather", "type", "categorical")),
                        "timeColumn",
                        "date"));
        Fixtures.uploadVersion(tenant, admin, "weather", "text/csv", CsvTable.csv(y2012));
        // Validated on the latest fifth by date, the split the drift figures below are stated for. (Before the
        // gate left out the champion's training rows, the shuffled random split scored the 2012 model on 2012 days
        // it trained on: macroF1 0.51 for it, 0.50 for the candidate. With the hash split the random split passes
        // too: 0.487 against 0.463 on 288 of 288 validation rows, in one run.)
        Fixtures.defineModel(
                tenant,
                admin,
                "weather",
                Map.of(
                        "dataset",
                        "weather",
                        "target",
                        "weather",
                        "objective",
                        "multiclass",
                        "features",
                        FEATURES,
                        "split",
                        Map.of("method", "time"),
                        "params",
                        Map.of("numRounds", 20, "maxDepth", 3, "seed", SEED)),
                true);
        assertThat(Fixtures.train(tenant, admin, "weather")).isEqualTo(1);
        // the labelled 2013–2015 days reach the dataset (the tenant's own pipeline) while production still
        // serves the 2012 model: what a retraining "on the latest dataset version" then learns from
        assertThat(Fixtures.uploadVersion(tenant, admin, "weather", "text/csv", CsvTable.csv(all)))
                .isEqualTo(2);

        Response hook = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "url",
                        receiver.url("/loop/" + tenant),
                        "events",
                        List.of("monitoring.drift", "training.succeeded", "model.promoted")))
                .post(Fixtures.base(tenant) + "/webhooks");
        assertThat(hook.statusCode()).as(hook.asString()).isEqualTo(201);
        String secret = hook.path("secret");

        String rules = Fixtures.base(tenant) + "/models/weather/monitoring/rules";
        Response put = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "rules",
                        List.of(
                                Map.of("signal", "featureDrift", "features", List.of("temp_max"), "action", "alert"),
                                Map.of(
                                        "signal",
                                        "featureDrift",
                                        "features",
                                        List.of("temp_max"),
                                        "action",
                                        "retrain",
                                        "cooldown",
                                        "PT6H"))))
                .put(rules);
        assertThat(put.statusCode()).as(put.asString()).isEqualTo(200);

        // traffic in time order, three window runs (the open hour's window is judged whole at each run, so each
        // sees all traffic so far): January to April 2013, colder than the reference (2012's first 293 days,
        // the training rows of the time split): SciPy's KS of temp_max D=0.47, BH-adjusted p=4e-17, drift; then
        // to the end of 2014 (D=0.08, p=0.23) and of 2015 (D=0.06, p=0.37): the episode clears.
        assertThat(later.get(119).get("date")).isEqualTo("2013-04-30");
        serveLabelAndRun(tenant, admin, later.subList(0, 120));
        serveLabelAndRun(tenant, admin, later.subList(120, 730));
        serveLabelAndRun(tenant, admin, later.subList(730, 1095));

        Response after = Api.as(admin).get(rules);
        List<Map<String, Object>> byRule = ruleTrainings(tenant, admin);
        assertThat(byRule)
                .as("one retraining for the episode, not one per window: " + after.asString())
                .hasSize(1);
        assertThat(after.<List<String>>path("recentFirings.findAll { it.kind == 'alert' }.kind"))
                .as(after.asString())
                .hasSize(1);
        String trainingId = (String) byRule.get(0).get("id");
        Response retrained = Fixtures.awaitEnd(admin, Fixtures.trainingPath(tenant, trainingId));
        System.out.println("retrained on 2012–2015, seed " + SEED + ": " + retrained.asString());
        assertThat(retrained.<String>path("status")).as(retrained.asString()).isEqualTo("succeeded");
        assertThat(retrained.<Integer>path("datasetVersion")).isEqualTo(2);
        assertThat(retrained.<Integer>path("modelVersion")).isEqualTo(2);
        assertThat(retrained.<Boolean>path("gate.passed"))
                .as(retrained.asString())
                .isTrue();
        assertThat(retrained.<Float>path("gate.champion"))
                .as("judged against the 2012 model")
                .isNotNull();

        Response v2 = Api.as(admin).get(Fixtures.base(tenant) + "/models/weather/versions/2");
        assertThat(v2.statusCode()).as(v2.asString()).isEqualTo(200);
        assertThat(v2.<List<String>>path("aliases")).contains("production");

        // the receiver: one drift alert, the retraining's success, the promotion to version 2, all signed
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(receiver.of(tenant).stream()
                                .map(WebhookReceiver.Received::type)
                                .toList())
                        .contains("monitoring.drift", "training.succeeded", "model.promoted"));
        List<WebhookReceiver.Received> got = receiver.of(tenant);
        for (WebhookReceiver.Received r : got) {
            assertThat(signedWith(secret, r))
                    .as("signature of " + r.type() + " " + r.webhookId())
                    .isTrue();
            assertThat(r.path()).isEqualTo("/loop/" + tenant);
        }
        List<WebhookReceiver.Received> drift =
                got.stream().filter(r -> r.type().equals("monitoring.drift")).toList();
        assertThat(drift.stream().map(WebhookReceiver.Received::webhookId).distinct())
                .as("one drift alert")
                .hasSize(1);
        assertThat(drift.get(0).body().path("data").path("features").toString()).contains("temp_max");
        assertThat(got.stream()
                        .filter(r -> r.type().equals("training.succeeded"))
                        .map(r -> r.body().path("data"))
                        .filter(d -> d.path("training").asText().equals(trainingId))
                        .toList())
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.path("version").asInt()).isEqualTo(2);
                    assertThat(d.path("promoted").asBoolean()).isTrue();
                });
        assertThat(got.stream()
                        .filter(r -> r.type().equals("model.promoted"))
                        .map(r -> r.body().path("data"))
                        .filter(d -> d.path("to").asInt() == 2)
                        .toList())
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.path("alias").asText()).isEqualTo("production");
                    assertThat(d.path("from").asInt()).isEqualTo(1);
                });
    }
}
