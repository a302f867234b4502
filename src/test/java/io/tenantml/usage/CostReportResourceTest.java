package io.tenantml.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import io.tenantml.usage.internal.UsageStore;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 2 of the usage issue: two days of known traffic of two tenants, priced by two rate card versions (one
 * per day), give the hand-computed usage and cost figures as JSON and CSV, and every grouping adds up to the total.
 *
 * <p>Rate cards (EUR per billing unit): {@code acc2-a} from 2019-06-01: predict.records 0.0001, training.cpu_seconds
 * 0.00125, storage.byte_days 0.02 per GB-day, ingest.rows 0.000001; {@code acc2-b} from 2019-06-11: predict.records
 * 0.00008, training.cpu_seconds 0.001, storage.byte_days 0.025. training.wall_seconds is priced by neither: it costs 0
 * and is flagged unpriced.
 *
 * <pre>
 * tenant a, 2019-06-10 (acc2-a)                              tenant a, 2019-06-11 (acc2-b)
 *   predict m/1  1000 + 250 = 1250 × 0.0001   = 0.125000        predict m/2  1001 × 0.00008 = 0.080080
 *   predict m/2  40 × 0.0001                  = 0.004000        cpu m/2      7 × 0.001      = 0.007000
 *   cpu m/2      12.5 × 0.00125               = 0.015625        storage 3.5e9 B = 3.5 GB-d × 0.025 = 0.087500
 *   storage 3.5e9 B = 3.5 GB-days × 0.02      = 0.070000        day                           0.174580
 *   ingest.rows  333 × 0.000001               = 0.000333
 *   day                                         0.214958      a total                         0.389538
 * tenant b, 2019-06-10 (acc2-a)                              tenant b, 2019-06-11 (acc2-b)
 *   predict n/1  300 × 0.0001                 = 0.030000        predict n/1  7 × 0.00008    = 0.000560
 *   wall n/1     100 (unpriced)               = 0               storage 1,234,567 B × 0.025 / 1e9
 *   storage 1,234,567 B × 0.02 / 1e9 = 0.00002469134 → 0.000025       = 0.000030864175 → 0.000031
 *   day                                         0.030025        day                           0.000591
 *                                                             b total                         0.030616
 * both, 2019-06-10 .. 2019-06-12:                               0.420154
 * (b's 999 records on 2019-06-12 are outside the period; b's 5 records on 2019-05-31 are before any rate card.)
 * </pre>
 */
@QuarkusTest
class CostReportResourceTest {

    static final String FROM = "2019-06-10";
    static final String TO = "2019-06-12";

    @Inject
    UsageStore store;

    static String a;
    static String b;
    static String adminA;

    @BeforeEach
    void traffic() {
        if (a != null) {
            return;
        }
        rateCard(
                        "acc2-a",
                        "2019-06-01",
                        Map.of(
                                "predict.records", "0.0001",
                                "training.cpu_seconds", "0.00125",
                                "storage.byte_days", "0.02",
                                "ingest.rows", "0.000001"))
                .then()
                .statusCode(201);
        rateCard(
                        "acc2-b",
                        "2019-06-11",
                        Map.of(
                                "predict.records",
                                "0.00008",
                                "training.cpu_seconds",
                                "0.001",
                                "storage.byte_days",
                                "0.025"))
                .then()
                .statusCode(201);
        a = Api.uniqueTenant("cost");
        b = Api.uniqueTenant("cost");
        adminA = Api.createTenant(a);
        Api.createTenant(b);
        write(a, "1", Meter.PREDICT_RECORDS, "m", "1", 1000, "2019-06-10T08:00:00Z");
        write(a, "2", Meter.PREDICT_RECORDS, "m", "1", 250, "2019-06-10T20:00:00Z");
        write(a, "3", Meter.PREDICT_RECORDS, "m", "2", 40, "2019-06-10T20:01:00Z");
        write(a, "4", Meter.TRAINING_CPU_SECONDS, "m", "2", 12.5, "2019-06-10T03:00:00Z");
        write(a, "5", Meter.STORAGE_BYTE_DAYS, null, null, 3_500_000_000.0, "2019-06-10T00:15:00Z");
        write(a, "6", Meter.INGEST_ROWS, null, null, 333, "2019-06-10T09:00:00Z");
        write(a, "7", Meter.PREDICT_RECORDS, "m", "2", 1001, "2019-06-11T23:59:59Z");
        write(a, "8", Meter.TRAINING_CPU_SECONDS, "m", "2", 7, "2019-06-11T03:00:00Z");
        write(a, "9", Meter.STORAGE_BYTE_DAYS, null, null, 3_500_000_000.0, "2019-06-11T00:15:00Z");
        write(b, "1", Meter.PREDICT_RECORDS, "n", "1", 300, "2019-06-10T12:00:00Z");
        write(b, "2", Meter.TRAINING_WALL_SECONDS, "n", "1", 100, "2019-06-10T03:00:00Z");
        write(b, "3", Meter.STORAGE_BYTE_DAYS, null, null, 1_234_567, "2019-06-10T00:15:00Z");
        write(b, "4", Meter.PREDICT_RECORDS, "n", "1", 7, "2019-06-11T00:00:00Z");
        write(b, "5", Meter.STORAGE_BYTE_DAYS, null, null, 1_234_567, "2019-06-11T00:15:00Z");
        write(b, "6", Meter.PREDICT_RECORDS, "n", "1", 999, "2019-06-12T00:00:00Z");
        write(b, "7", Meter.PREDICT_RECORDS, "n", "1", 5, "2019-05-31T10:00:00Z");
    }

    static Response rateCard(String version, String effectiveFrom, Map<String, String> prices) {
        return Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("effectiveFrom", effectiveFrom, "currency", "EUR", "prices", prices))
                .put("/api/v1/rate-cards/" + version);
    }

    void write(String tenant, String id, Meter meter, String model, String version, double q, String at) {
        Map<String, String> dims = model == null ? Map.of() : Map.of("model", model, "version", version);
        store.insert(TenantId.of(tenant), id, meter, dims, q, Instant.parse(at));
    }

    static Response costs(String from, String to, String groupBy, String accept, String cursor, int limit) {
        var request = Api.asOperator()
                .accept(accept)
                .queryParam("from", from)
                .queryParam("to", to)
                .queryParam("limit", limit);
        if (groupBy != null) {
            request.queryParam("groupBy", groupBy);
        }
        if (cursor != null) {
            request.queryParam("cursor", cursor);
        }
        return request.get("/api/v1/reports/costs");
    }

    /** Every row of the cost report, following the cursor page by page. */
    static List<Map<String, Object>> allRows(String from, String to, String groupBy, int limit) {
        List<Map<String, Object>> rows = new ArrayList<>();
        String cursor = null;
        do {
            Response r = costs(from, to, groupBy, "application/json", cursor, limit);
            r.then().statusCode(200);
            rows.addAll(r.jsonPath().getList("items"));
            cursor = r.jsonPath().getString("next");
        } while (cursor != null);
        return rows;
    }

    static Map<String, Object> only(List<Map<String, Object>> rows, Map<String, Object> keys) {
        List<Map<String, Object>> matching = rows.stream()
                .filter(r -> keys.entrySet().stream().allMatch(k -> k.getValue().equals(r.get(k.getKey()))))
                .toList();
        assertThat(matching).as("rows with " + keys).hasSize(1);
        return matching.get(0);
    }

    @Test
    void shouldEqualTheHandComputedCostsPerTenantDayAndMeter() {
        List<Map<String, Object>> rows = allRows(FROM, TO, "tenant,day,meter", 1000);
        assertThat(only(rows, Map.of("tenant", a, "day", "2019-06-10", "meter", "predict.records")))
                .containsEntry("quantity", "1290")
                .containsEntry("cost", "0.129000")
                .containsEntry("billingUnit", "records")
                .containsEntry("currency", "EUR")
                .containsEntry("rateCardVersions", List.of("acc2-a"));
        assertThat(only(rows, Map.of("tenant", a, "day", "2019-06-10", "meter", "storage.byte_days")))
                .containsEntry("quantity", "3.5")
                .containsEntry("billingUnit", "GB-days")
                .containsEntry("cost", "0.070000");
        assertThat(only(rows, Map.of("tenant", a, "day", "2019-06-10", "meter", "training.cpu_seconds")))
                .containsEntry("quantity", "12.5")
                .containsEntry("cost", "0.015625");
        assertThat(only(rows, Map.of("tenant", a, "day", "2019-06-10", "meter", "ingest.rows")))
                .containsEntry("cost", "0.000333");
        assertThat(only(rows, Map.of("tenant", a, "day", "2019-06-11", "meter", "predict.records")))
                .containsEntry("quantity", "1001")
                .containsEntry("cost", "0.080080")
                .containsEntry("rateCardVersions", List.of("acc2-b"));
        assertThat(only(rows, Map.of("tenant", a, "day", "2019-06-11", "meter", "storage.byte_days")))
                .containsEntry("cost", "0.087500");
        assertThat(only(rows, Map.of("tenant", b, "day", "2019-06-10", "meter", "training.wall_seconds")))
                .containsEntry("quantity", "100")
                .containsEntry("cost", "0.000000")
                .containsEntry("rateCardVersions", List.of("acc2-a"))
                .containsEntry("unpriced", true)
                .containsEntry("unpricedMeters", List.of("training.wall_seconds"));
        assertThat(only(rows, Map.of("tenant", b, "day", "2019-06-10", "meter", "predict.records")))
                .containsEntry("unpriced", false)
                .containsEntry("unpricedMeters", List.of());
        assertThat(only(rows, Map.of("tenant", b, "day", "2019-06-10", "meter", "storage.byte_days")))
                .containsEntry("quantity", "0.001234567")
                .containsEntry("cost", "0.000025");
        assertThat(only(rows, Map.of("tenant", b, "day", "2019-06-11", "meter", "storage.byte_days")))
                .containsEntry("cost", "0.000031");

        List<Map<String, Object>> tenants = allRows(FROM, TO, "tenant", 1000);
        assertThat(only(tenants, Map.of("tenant", a)))
                .containsEntry("cost", "0.389538")
                .containsEntry("unpriced", false);
        // b's wall seconds: the card in force that day does not price them, and the total says so
        assertThat(only(tenants, Map.of("tenant", b)))
                .containsEntry("cost", "0.030616")
                .containsEntry("unpriced", true)
                .containsEntry("unpricedMeters", List.of("training.wall_seconds"));
        List<Map<String, Object>> models = allRows(FROM, TO, "tenant,version", 1000);
        // a's m/2: 0.004 + 0.015625 + 0.08008 + 0.007
        assertThat(only(models, Map.of("tenant", a, "model", "m", "version", 2)))
                .containsEntry("cost", "0.106705");
    }

    @Test
    void shouldEqualTheHandComputedUsageOfTheSameDays() {
        Response r = Api.asOperator()
                .accept("application/json")
                .queryParam("from", FROM)
                .queryParam("to", TO)
                .queryParam("groupBy", "tenant,model")
                .queryParam("limit", 1000)
                .get("/api/v1/reports/usage");
        r.then().statusCode(200);
        List<Map<String, Object>> items = r.jsonPath().getList("items");
        // a: 1000 + 250 + 40 + 1001 records; 2 × 3.5e9 byte-days; b: 300 + 7 (the 999 and the 5 are outside)
        assertThat(quantity(only(items, Map.of("tenant", a, "meter", "predict.records", "model", "m"))))
                .isEqualTo(2291.0);
        assertThat(quantity(only(items, Map.of("tenant", a, "meter", "storage.byte_days", "model", ""))))
                .isEqualTo(7.0e9);
        assertThat(quantity(only(items, Map.of("tenant", a, "meter", "training.cpu_seconds", "model", "m"))))
                .isEqualTo(19.5);
        assertThat(quantity(only(items, Map.of("tenant", b, "meter", "predict.records", "model", "n"))))
                .isEqualTo(307.0);
    }

    static double quantity(Map<String, Object> row) {
        return ((Number) row.get("quantity")).doubleValue();
    }

    @Test
    void shouldAddUpEveryGroupingPageByPageToTheTotal() {
        List<Map<String, Object>> total = allRows(FROM, TO, null, 1000);
        assertThat(total).hasSize(1);
        BigDecimal expected = new BigDecimal((String) total.get(0).get("cost"));
        // only the two test tenants have usage on these days: the total is the hand-computed one
        assertThat(expected).isEqualByComparingTo("0.420154");
        for (String groupBy : List.of(
                "tenant",
                "meter",
                "model",
                "version",
                "day",
                "month",
                "tenant,meter",
                "tenant,day,meter,model,version",
                "month,model")) {
            BigDecimal sum = allRows(FROM, TO, groupBy, 2).stream()
                    .map(row -> new BigDecimal((String) row.get("cost")))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(sum).as(groupBy).isEqualByComparingTo(expected);
        }
    }

    @Test
    void shouldGiveTheSameCostsAsCsv() {
        Response r = costs(FROM, TO, "tenant,day,meter", "text/csv", null, 1000);
        r.then().statusCode(200).contentType("text/csv");
        String csv = r.asString();
        assertThat(csv.lines().findFirst())
                .contains(
                        "tenant,month,day,meter,billing_unit,model,version,quantity,cost,currency,rate_cards,unpriced,"
                                + "unpriced_meters");
        assertThat(csv)
                .contains(a + ",,2019-06-10,predict.records,records,,,1290,0.129000,EUR,acc2-a,false,")
                .contains(a + ",,2019-06-10,storage.byte_days,GB-days,,,3.5,0.070000,EUR,acc2-a,false,")
                .contains(a + ",,2019-06-11,predict.records,records,,,1001,0.080080,EUR,acc2-b,false,")
                .contains(b + ",,2019-06-10,storage.byte_days,GB-days,,,0.001234567,0.000025,EUR,acc2-a,false,");
        String totals = costs(FROM, TO, "tenant", "text/csv", null, 1000).asString();
        assertThat(totals).contains(a + ",,,,,,,,0.389538,EUR,acc2-a acc2-b,false,");
        assertThat(totals).contains(b + ",,,,,,,,0.030616,EUR,acc2-a acc2-b,true,training.wall_seconds");
    }

    @Test
    void shouldMarkUsageBeforeTheFirstRateCardAsUnpricedAtZero() {
        List<Map<String, Object>> rows = allRows("2019-05-31", "2019-06-01", "tenant", 1000);
        assertThat(only(rows, Map.of("tenant", b)))
                .containsEntry("cost", "0.000000")
                .containsEntry("unpriced", true)
                .containsEntry("unpricedMeters", List.of("predict.records"))
                .containsEntry("rateCardVersions", List.of());
    }

    /**
     * A meter the card prices 0 is free by the operator's choice; one it leaves out may be an oversight, and only
     * that one is flagged. The card is in force from 2019-08-01, after every other day this class prices.
     */
    @Test
    void shouldFlagAMeterTheCardLeavesOutButNotOneItPricesZero() {
        rateCard("acc2-free", "2019-08-01", Map.of("predict.records", "0.0001", "ingest.rows", "0"))
                .then()
                .statusCode(201);
        String c = Api.uniqueTenant("cost");
        Api.createTenant(c);
        write(c, "1", Meter.INGEST_ROWS, null, null, 5000, "2019-08-02T10:00:00Z");
        write(c, "2", Meter.PREDICT_RECORDS, "p", "1", 10, "2019-08-02T10:00:00Z");
        write(c, "3", Meter.TRAINING_WALL_SECONDS, "p", "1", 60, "2019-08-02T11:00:00Z");

        List<Map<String, Object>> rows = allRows("2019-08-02", "2019-08-03", "tenant,meter", 1000);
        assertThat(only(rows, Map.of("tenant", c, "meter", "ingest.rows")))
                .containsEntry("cost", "0.000000")
                .containsEntry("unpriced", false)
                .containsEntry("unpricedMeters", List.of());
        assertThat(only(rows, Map.of("tenant", c, "meter", "predict.records")))
                .containsEntry("cost", "0.001000")
                .containsEntry("unpriced", false);
        assertThat(only(rows, Map.of("tenant", c, "meter", "training.wall_seconds")))
                .containsEntry("cost", "0.000000")
                .containsEntry("unpriced", true)
                .containsEntry("unpricedMeters", List.of("training.wall_seconds"));
        assertThat(only(allRows("2019-08-02", "2019-08-03", "tenant", 1000), Map.of("tenant", c)))
                .containsEntry("cost", "0.001000")
                .containsEntry("unpricedMeters", List.of("training.wall_seconds"));
    }

    @Test
    void shouldKeepARateCardVersionImmutable() {
        rateCard(
                        "acc2-a",
                        "2019-06-01",
                        Map.of(
                                "predict.records", "0.0001000",
                                "training.cpu_seconds", "0.00125",
                                "storage.byte_days", "0.02",
                                "ingest.rows", "0.000001"))
                .then()
                .statusCode(200);
        rateCard("acc2-a", "2019-06-01", Map.of("predict.records", "0.5"))
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tenantml.io/problems/rate-card-immutable"));
        rateCard("acc2-c", "2019-06-11", Map.of("predict.records", "0.5"))
                .then()
                .statusCode(409)
                .body("field", equalTo("effectiveFrom"));
        rateCard("acc2-d", "2019-06-20", Map.of("predict.recordz", "0.5"))
                .then()
                .statusCode(422)
                .body("type", equalTo("https://tenantml.io/problems/invalid-rate-card"))
                .body("field", equalTo("prices.predict.recordz"));
        rateCard("acc2-d", "2019-06-20", Map.of("predict.records", "-1"))
                .then()
                .statusCode(422)
                .body("field", equalTo("prices.predict.records"));
        Api.asOperator()
                .get("/api/v1/rate-cards/acc2-b")
                .then()
                .statusCode(200)
                .body("effectiveFrom", equalTo("2019-06-11"))
                .body("prices.'predict.records'", equalTo("0.00008"))
                .body("createdBy", org.hamcrest.Matchers.notNullValue());
        Api.asOperator().get("/api/v1/rate-cards/acc2-d").then().statusCode(404);
    }

    /** Both were stored before: an empty version held its day for good, and a timestamp was cut to its day. */
    @Test
    void shouldRefuseARateCardThatPricesNothingOrWhoseDayIsATimestamp() {
        rateCard("acc2-empty", "2019-07-01", Map.of())
                .then()
                .statusCode(422)
                .body("field", equalTo("prices"))
                .body("detail", containsString("at least one meter"));
        for (String day : List.of("2019-07-01T05:00:00Z", "2019-07-01T00:00:00")) {
            rateCard("acc2-timed", day, Map.of("predict.records", "0.5"))
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("field", equalTo("effectiveFrom"));
        }
        Api.asOperator().get("/api/v1/rate-cards/acc2-empty").then().statusCode(404);
        Api.asOperator().get("/api/v1/rate-cards/acc2-timed").then().statusCode(404);
    }

    @Test
    void shouldRefuseCostsAndRateCardsToATenantAdmin() {
        Api.as(adminA).get("/api/v1/reports/costs").then().statusCode(403);
        Api.as(adminA).get("/api/v1/rate-cards").then().statusCode(403);
        Api.as(adminA)
                .contentType(ContentType.JSON)
                .body(Map.of("effectiveFrom", "2019-07-01", "currency", "EUR", "prices", Map.of()))
                .put("/api/v1/rate-cards/sneaky")
                .then()
                .statusCode(403);
    }
}
