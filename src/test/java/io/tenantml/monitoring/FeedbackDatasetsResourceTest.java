package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, a retrain's {@code includeFeedback}: labelled production records appended to the model's dataset as a
 * new version through the dataset's own path, with the log windows as the version's provenance, each record once.
 */
@QuarkusTest
class FeedbackDatasetsResourceTest {

    private static final long SEED = 1212L;
    private static final String[] REGIONS = {"north", "east", "south", "west"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    FeedbackDatasets feedbackDatasets;

    @Inject
    TenantScope scope;

    @Inject
    PredictionLog log;

    private record Served(Map<String, Object> record, String id, double y) {}

    private static String training(SplittableRandom random, int rows) {
        StringBuilder csv = new StringBuilder("at,x,region,flag,y\n");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < rows; i++) {
            double x = random.nextGaussian();
            String region = REGIONS[random.nextInt(REGIONS.length)];
            boolean flag = random.nextBoolean();
            double y = 2 * x + (flag ? 1 : 0) + (region.equals("north") ? 0.5 : 0) + 0.5 * random.nextGaussian();
            csv.append(String.format(
                    Locale.ROOT, "%s,%.2f,%s,%s,%.3f%n", start.plusSeconds(3600L * i), x, region, flag, y));
        }
        return csv.toString();
    }

    private FeedbackDatasets.Appended append(String tenant) {
        return scope.call(
                new TenantId(tenant),
                () -> QuarkusTransaction.requiringNew()
                        .call(() -> feedbackDatasets.append("scores", "points", "y", "test")));
    }

    private static void feedback(String tenant, String admin, List<Served> served) {
        List<Map<String, Object>> items = new ArrayList<>();
        served.forEach(s -> items.add(Map.of("predictionId", s.id(), "value", s.y())));
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(items)
                .post(Fixtures.base(tenant) + "/models/scores/feedback")
                .then()
                .statusCode(202);
    }

    private static JsonNode version(String tenant, String admin, int version) throws Exception {
        Response r = Api.as(admin).get(Fixtures.datasetPath(tenant, "points") + "/versions/" + version);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return JSON.readTree(r.asString());
    }

    private static List<JsonNode> rows(String tenant, String admin, int version) throws Exception {
        Response r = Api.as(admin)
                .accept("application/x-ndjson")
                .get(Fixtures.datasetPath(tenant, "points") + "/versions/" + version + "/rows");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : r.asString().split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    private static String key(double x, String region, boolean flag, double y) {
        return x + "|" + region + "|" + flag + "|" + y;
    }

    @Test
    void shouldAppendEachLabelledRecordOnceWithItsLogWindowsAsProvenanceAndLeaveOutUnseenCategories() throws Exception {
        String tenant = Api.uniqueTenant("fbappend");
        String admin = Api.createTenant(tenant);
        SplittableRandom random = new SplittableRandom(SEED);
        Fixtures.declareDataset(
                tenant,
                admin,
                "points",
                Map.of(
                        "columns",
                        List.of(
                                Map.of("name", "at", "type", "timestamp"),
                                Map.of("name", "x", "type", "numeric"),
                                Map.of("name", "region", "type", "categorical"),
                                Map.of("name", "flag", "type", "boolean"),
                                Map.of("name", "y", "type", "numeric")),
                        "timeColumn",
                        "at"));
        Fixtures.uploadVersion(
                tenant, admin, "points", "text/csv", training(random, 200).getBytes(StandardCharsets.UTF_8));
        Fixtures.defineModel(
                tenant,
                admin,
                "scores",
                Map.of(
                        "dataset", "points",
                        "target", "y",
                        "objective", "regression",
                        "features", List.of("x", "region", "flag"),
                        "params", Map.of("numRounds", 5, "seed", SEED)),
                true);
        Fixtures.train(tenant, admin, "scores");

        // 50 records; the first 5 from a region training never saw (the log keeps no raw value for them)
        List<Map<String, Object>> records = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            double x = Math.round(random.nextGaussian() * 100) / 100.0;
            String region = i < 5 ? "mars" : REGIONS[random.nextInt(REGIONS.length)];
            boolean flag = i % 2 == 0;
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("x", x);
            record.put("region", region);
            record.put("flag", flag);
            records.add(record);
            ys.add(Math.round((3 * x + 7) * 1000) / 1000.0);
        }
        Response predicted = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("records", records))
                .post(Fixtures.base(tenant) + "/models/scores/predict");
        assertThat(predicted.statusCode()).as(predicted.asString()).isEqualTo(200);
        List<String> ids = predicted.jsonPath().getList("predictions.id");
        assertThat(log.flush(Duration.ofSeconds(20))).isTrue();
        List<Served> served = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            served.add(new Served(records.get(i), ids.get(i), ys.get(i)));
        }

        // labels for the first 40: 5 of them unseen, 35 appended
        feedback(tenant, admin, served.subList(0, 40));
        FeedbackDatasets.Appended first = append(tenant);
        assertThat(first.version()).contains(2);
        assertThat(first.records()).isEqualTo(35);
        assertThat(first.skipped()).containsEntry(FeedbackDatasets.SKIPPED_UNSEEN, 5L);

        JsonNode v2 = version(tenant, admin, 2);
        assertThat(v2.path("rows").asLong()).as(v2.toString()).isEqualTo(235);
        assertThat(v2.path("quarantinedRows").asLong()).isZero();
        JsonNode provenance = v2.path("provenance");
        assertThat(provenance.path("source").asText()).as(v2.toString()).isEqualTo("prediction-feedback");
        assertThat(provenance.path("model").asText()).isEqualTo("scores");
        assertThat(provenance.path("appendedTo").asInt()).isEqualTo(1);
        assertThat(provenance.path("appendedRows").asLong()).isEqualTo(35);
        assertThat(provenance.path("skipped").path("unseen-category").asLong()).isEqualTo(5);
        long inWindows = 0;
        for (JsonNode w : provenance.path("windows")) {
            assertThat(w.path("modelVersion").asInt()).isEqualTo(1);
            Instant start = Instant.parse(w.path("start").asText());
            assertThat(Instant.parse(w.path("end").asText())).isEqualTo(start.plusSeconds(3600));
            inWindows += w.path("records").asLong();
        }
        assertThat(inWindows).as(provenance.toString()).isEqualTo(35);
        assertThat(version(tenant, admin, 1).has("provenance"))
                .as("an upload has none")
                .isFalse();

        // the appended rows follow version 1's, with the values served, the label as target, the time of the
        // prediction in the dataset's time column
        List<JsonNode> rows = rows(tenant, admin, 2);
        assertThat(rows).hasSize(235);
        // in the log's order (time, then id), not necessarily the request's: compared as sets of rows
        List<String> appended = new ArrayList<>();
        for (JsonNode row : rows.subList(200, 235)) {
            assertThat(row.path("at").isNull()).as(row.toString()).isFalse();
            appended.add(key(
                    row.path("x").asDouble(),
                    row.path("region").asText(),
                    row.path("flag").asBoolean(),
                    row.path("y").asDouble()));
        }
        List<String> expected = new ArrayList<>();
        for (Served s : served.subList(5, 40)) {
            expected.add(key(
                    (Double) s.record().get("x"),
                    (String) s.record().get("region"),
                    (Boolean) s.record().get("flag"),
                    s.y()));
        }
        assertThat(appended).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rows.subList(0, 200)).isEqualTo(rows(tenant, admin, 1));

        // the same windows again: nothing new, no version; a relabel does not bring a record back
        feedback(tenant, admin, served.subList(10, 11));
        FeedbackDatasets.Appended again = append(tenant);
        assertThat(again.version()).isEmpty();
        assertThat(again.records()).isZero();
        Response versions = Api.as(admin).get(Fixtures.datasetPath(tenant, "points") + "/versions");
        assertThat(versions.<List<Integer>>path("items.version")).containsExactly(1, 2);

        // labels that arrive later are appended then, after version 2's rows, and only they
        feedback(tenant, admin, served.subList(40, 50));
        FeedbackDatasets.Appended later = append(tenant);
        assertThat(later.version()).contains(3);
        assertThat(later.records()).isEqualTo(10);
        JsonNode v3 = version(tenant, admin, 3);
        assertThat(v3.path("rows").asLong()).isEqualTo(245);
        assertThat(v3.path("provenance").path("appendedTo").asInt()).isEqualTo(2);
        assertThat(v3.path("provenance").path("appendedRows").asLong()).isEqualTo(10);
    }
}
