package io.tenantml.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.usage.Meters;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cost-against-value report of one tenant's trained and served model, today, priced by a rate card in force
 * from today: predict.records 0.001, training.cpu_seconds 0.01, storage.byte_days 50 per GB-day (EUR).
 */
@QuarkusTest
class CostValueResourceTest {

    static final Map<String, Object> PENGUINS = Map.of(
            "dataset",
            "penguins",
            "target",
            "Species",
            "objective",
            "multiclass",
            "params",
            Map.of("numRounds", 10, "seed", 5));

    @Inject
    Meters meters;

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
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            records.add(Map.of(
                    "Island",
                    "Biscoe",
                    "Beak Length (mm)",
                    45.0 + i,
                    "Beak Depth (mm)",
                    15.0,
                    "Flipper Length (mm)",
                    218,
                    "Body Mass (g)",
                    4950,
                    "Sex",
                    "FEMALE"));
        }
        Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Map.of("records", records))
                .post("/api/v1/tenants/" + tenant + "/models/species/predict")
                .then()
                .statusCode(200);
        meters.flush();
    }

    static Map<String, Object> row() {
        Response r = Api.asOperator()
                .accept("application/json")
                .queryParam("from", today)
                .queryParam("to", tomorrow)
                .queryParam("limit", 1000)
                .get("/api/v1/reports/cost-value");
        r.then().statusCode(200);
        List<Map<String, Object>> rows = r.jsonPath().getList("items");
        List<Map<String, Object>> mine =
                rows.stream().filter(x -> tenant.equals(x.get("tenant"))).toList();
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
        assertThat(row.get("realisedPerformance")).isNull();
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
                .startsWith("tenant,model,training_cost,serving_cost,storage_cost,total_cost");
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
