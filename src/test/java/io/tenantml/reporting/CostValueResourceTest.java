package io.tenantml.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.model.Metrics;
import io.tenantml.monitoring.PerformanceAssessment;
import io.tenantml.monitoring.PredictionLog;
import io.tenantml.monitoring.RealisedPerformance;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.usage.Meters;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cost-against-value report of one tenant's trained and served models, today, priced by a rate card in force
 * from today: predict.records 0.001, training.cpu_seconds 0.01, storage.byte_days 50 per GB-day (EUR). {@code species}
 * has no feedback; {@code labelled} (gate metric accuracy) has feedback on its predictions of today, chosen so that
 * its realised accuracy is known without the model: 6 labels name the predicted class, 2 another class, 1 no class.
 */
@QuarkusTest
class CostValueResourceTest {

    static final Map<String, Object> PENGUINS = Fixtures.penguinsSpecies(10, 5);

    @Inject
    Meters meters;

    @Inject
    PredictionLog log;

    @Inject
    RealisedPerformance performance;

    @Inject
    TenantScope scope;

    static String tenant;
    static String admin;
    static String today;
    static String tomorrow;

    @BeforeEach
    void trainedAndServed() {
        if (tenant != null) {
            return;
        }
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        today = day.toString();
        tomorrow = day.plusDays(1).toString();
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "effectiveFrom",
                        today,
                        "currency",
                        "EUR",
                        "prices",
                        Map.of("predict.records", "0.001", "training.cpu_seconds", "0.01", "storage.byte_days", "50")))
                .put("/api/v1/rate-cards/cv-" + today)
                .then()
                .statusCode(201);
        tenant = Api.uniqueTenant("value");
        admin = Api.createTenant(tenant);
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        Fixtures.defineModel(tenant, admin, "species", PENGUINS, true);
        Fixtures.train(tenant, admin, "species");
        String integration = Api.createKey(tenant, admin, "integration");
        predict(integration, "species", 7);
        Map<String, Object> labelled = new java.util.HashMap<>(PENGUINS);
        labelled.put("gate", Map.of("metric", "accuracy"));
        Fixtures.defineModel(tenant, admin, "labelled", labelled, true);
        Fixtures.train(tenant, admin, "labelled");
        List<Map<String, Object>> predictions = predict(integration, "labelled", 10);
        try {
            assertThat(log.flush(Duration.ofSeconds(30)))
                    .as("prediction log flushed")
                    .isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        List<Map<String, Object>> feedback = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Map<String, Object> p = predictions.get(i);
            String predicted = (String) p.get("label");
            @SuppressWarnings("unchecked")
            String other = ((Map<String, Object>) p.get("probabilities"))
                    .keySet().stream()
                            .filter(c -> !c.equals(predicted))
                            .findFirst()
                            .orElseThrow();
            String label = i < 6 ? predicted : i < 8 ? other : "Unicorn";
            feedback.add(Map.of("predictionId", p.get("id"), "label", label));
        }
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(feedback)
                .post("/api/v1/tenants/" + tenant + "/models/labelled/feedback")
                .then()
                .statusCode(202)
                .body("accepted", org.hamcrest.Matchers.equalTo(9));
        meters.flush();
    }

    /** {@code n} penguins scored online by {@code model}; the predictions as answered. */
    static List<Map<String, Object>> predict(String key, String model, int n) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(Map.of(
                    "Island",
                    i % 2 == 0 ? "Biscoe" : "Dream",
                    "Beak Length (mm)",
                    38.0 + 2 * i,
                    "Beak Depth (mm)",
                    15.0 + (i % 3),
                    "Flipper Length (mm)",
                    190 + 3 * i,
                    "Body Mass (g)",
                    3800 + 100 * i,
                    "Sex",
                    "FEMALE"));
        }
        return Api.as(key)
                .contentType(ContentType.JSON)
                .body(Map.of("records", records))
                .post("/api/v1/tenants/" + tenant + "/models/" + model + "/predict")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("predictions");
    }

    static Map<String, Object> row() {
        return row("species");
    }

    static Map<String, Object> row(String model) {
        Response r = Api.asOperator()
                .accept("application/json")
                .queryParam("from", today)
                .queryParam("to", tomorrow)
                .queryParam("limit", 1000)
                .get("/api/v1/reports/cost-value");
        r.then().statusCode(200);
        List<Map<String, Object>> rows = r.jsonPath().getList("items");
        assertThat(rows.stream().filter(x -> tenant.equals(x.get("tenant"))))
                .as("the tenant's models with usage")
                .hasSize(2);
        List<Map<String, Object>> mine = rows.stream()
                .filter(x -> tenant.equals(x.get("tenant")) && model.equals(x.get("model")))
                .toList();
        assertThat(mine).hasSize(1);
        return mine.get(0);
    }

    @Test
    void shouldSetTheModelsCostsBesideItsVolumeAndLift() {
        Map<String, Object> row = row();
        Map<String, Object> version = Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/models/species/versions/1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
        @SuppressWarnings("unchecked")
        Map<String, Object> gate = (Map<String, Object>) version.get("gate");
        @SuppressWarnings("unchecked")
        Map<String, Object> artifact = (Map<String, Object>) version.get("artifact");
        long bytes = ((Number) artifact.get("bytes")).longValue();

        assertThat(row).containsEntry("model", "species").containsEntry("currency", "EUR");
        assertThat(row).containsEntry("onlineRecords", 7).containsEntry("batchRecords", 0);
        // serving: 7 records × 0.001
        assertThat(row).containsEntry("servingCost", "0.007000");
        // storage: the one version's artifact, held today: bytes × 50 / 10^9, rounded to 6 places
        BigDecimal storage = BigDecimal.valueOf(bytes)
                .multiply(new BigDecimal("50"))
                .divide(BigDecimal.valueOf(1_000_000_000L))
                .setScale(6, RoundingMode.HALF_UP);
        assertThat(new BigDecimal((String) row.get("storageCost"))).isEqualByComparingTo(storage);
        // training: the cost report's figure for the model's training meters (metered CPU seconds × 0.01)
        BigDecimal training = costOf("training.cpu_seconds").add(costOf("training.wall_seconds"));
        assertThat(training).isPositive();
        assertThat(new BigDecimal((String) row.get("trainingCost"))).isEqualByComparingTo(training);
        // the card prices CPU seconds but leaves out the wall-clock seconds the training also metered
        assertThat(row).containsEntry("unpricedMeters", List.of("training.wall_seconds"));
        BigDecimal total = training.add(new BigDecimal("0.007")).add(storage);
        assertThat(new BigDecimal((String) row.get("totalCost"))).isEqualByComparingTo(total);
        assertThat(new BigDecimal((String) row.get("costPerThousandRecords")))
                .isEqualByComparingTo(total.multiply(BigDecimal.valueOf(1000))
                        .divide(BigDecimal.valueOf(7), 6, RoundingMode.HALF_UP));
        // value: the production version's gate metric over its baseline (accuracy: higher is better)
        assertThat(row).containsEntry("version", 1).containsEntry("metric", gate.get("metric"));
        double lift = ((Number) gate.get("candidate")).doubleValue() - ((Number) gate.get("baseline")).doubleValue();
        assertThat(((Number) row.get("lift")).doubleValue())
                .isCloseTo(lift, org.assertj.core.data.Offset.offset(1e-6)); // JSON read as float
        assertThat(lift).isPositive();
        assertThat(row.get("realisedPerformance"))
                .as("no feedback: nothing realised")
                .isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldStateRealisedPerformanceFromFeedbackAsMonitoringDoesInTheRowsMetric() {
        Map<String, Object> row = row("labelled");
        assertThat(row).containsEntry("metric", "accuracy").containsEntry("onlineRecords", 10);
        Map<String, Object> realised = (Map<String, Object>) row.get("realisedPerformance");
        assertThat(realised).as("row %s", row).isNotNull();
        // 8 usable labels (6 name the predicted class, 2 another), "Unicorn" names no class, 1 prediction unlabelled
        assertThat(realised)
                .containsEntry("metric", "accuracy")
                .containsEntry("labels", 8)
                .containsEntry("unusableLabels", 1);
        // accuracy = 6 / 8, whatever the model predicted
        assertThat(((Number) realised.get("value")).doubleValue()).isCloseTo(0.75, offset(1e-6));
        // the interval and its statement are monitoring's for the same version and period
        int version = (Integer) row.get("version");
        PerformanceAssessment.Realised expected = scope.call(
                new TenantId(tenant),
                () -> performance.realised(
                        "labelled",
                        version,
                        LocalDate.parse(today).atStartOfDay(ZoneOffset.UTC).toInstant(),
                        LocalDate.parse(tomorrow).atStartOfDay(ZoneOffset.UTC).toInstant()));
        Metrics.Interval accuracy = expected.metrics().get("accuracy");
        // JSON numbers are read as floats here: compared within a float's precision (the CSV below is exact)
        assertThat(((Number) realised.get("lower")).doubleValue()).isCloseTo(accuracy.lower(), offset(1e-6));
        assertThat(((Number) realised.get("upper")).doubleValue()).isCloseTo(accuracy.upper(), offset(1e-6));
        assertThat(accuracy.lower()).isLessThanOrEqualTo(0.75);
        assertThat(accuracy.upper()).isGreaterThanOrEqualTo(0.75);
        assertThat(((Number) realised.get("confidence")).doubleValue()).isCloseTo(0.95, offset(1e-6));
        assertThat(realised).containsEntry("intervalMethod", RealisedPerformance.INTERVAL_METHOD);

        String csv = Api.asOperator()
                .accept("text/csv")
                .queryParam("from", today)
                .queryParam("to", tomorrow)
                .queryParam("limit", 1000)
                .get("/api/v1/reports/cost-value")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(csv.lines().findFirst().orElseThrow())
                .endsWith(",lift,realised_metric,realised_value,realised_lower,realised_upper,realised_confidence,"
                        + "realised_labels,unpriced_meters");
        String line = csv.lines()
                .filter(l -> l.startsWith(tenant + ",labelled,"))
                .findFirst()
                .orElseThrow();
        assertThat(line)
                .endsWith(",accuracy,0.75," + accuracy.lower() + "," + accuracy.upper() + ",0.95,8,"
                        + "training.wall_seconds");
        assertThat(csv.lines()
                        .filter(l -> l.startsWith(tenant + ",species,"))
                        .findFirst()
                        .orElseThrow())
                .as("no feedback: the realised columns are empty")
                .endsWith(",,,,,,training.wall_seconds");
    }

    @Test
    void shouldGiveTheSameRowAsCsv() {
        Map<String, Object> row = row();
        String csv = Api.asOperator()
                .accept("text/csv")
                .queryParam("from", today)
                .queryParam("to", tomorrow)
                .queryParam("limit", 1000)
                .get("/api/v1/reports/cost-value")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(csv.lines().findFirst().orElseThrow())
                .startsWith("tenant,model,training_cost,serving_cost,storage_cost,total_cost")
                .endsWith(",unpriced_meters");
        assertThat(csv)
                .contains(tenant + ",species," + row.get("trainingCost") + ",0.007000," + row.get("storageCost") + ","
                        + row.get("totalCost") + ",EUR,7,0,");
    }

    @Test
    void shouldRefuseTheReportToATenantAdmin() {
        Api.as(admin).get("/api/v1/reports/cost-value").then().statusCode(403);
    }

    static BigDecimal costOf(String meter) {
        Response r = Api.asOperator()
                .accept("application/json")
                .queryParam("from", today)
                .queryParam("to", tomorrow)
                .queryParam("groupBy", "tenant,model,meter")
                .queryParam("meter", meter)
                .queryParam("limit", 1000)
                .get("/api/v1/reports/costs");
        r.then().statusCode(200);
        List<Map<String, Object>> rows = r.jsonPath().getList("items");
        return rows.stream()
                .filter(x -> tenant.equals(x.get("tenant")) && "species".equals(x.get("model")))
                .map(x -> new BigDecimal((String) x.get("cost")))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
