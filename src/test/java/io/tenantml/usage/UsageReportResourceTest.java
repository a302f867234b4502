package io.tenantml.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import io.tenantml.usage.internal.UsageStore;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operators' usage report for a day with known traffic (acceptance 2, usage half), JSON and CSV. */
@QuarkusTest
class UsageReportResourceTest {

    @Inject
    UsageStore store;

    static String a;
    static String b;
    static String adminA;
    static final String DAY = "2020-02-03";

    @BeforeEach
    void traffic() {
        if (a != null) {
            return;
        }
        a = Api.uniqueTenant("report");
        b = Api.uniqueTenant("report");
        adminA = Api.createTenant(a);
        Api.createTenant(b);
        Instant morning = Instant.parse(DAY + "T08:00:00Z");
        Instant evening = Instant.parse(DAY + "T20:00:00Z");
        // a: 1,000 + 250 records of m/1, 40 of m/2, 12.5 CPU seconds; b: 300 records of n/1; a day outside: 999
        write(a, "1", Meter.PREDICT_RECORDS, "m", "1", 1000, morning);
        write(a, "2", Meter.PREDICT_RECORDS, "m", "1", 250, evening);
        write(a, "3", Meter.PREDICT_RECORDS, "m", "2", 40, evening);
        write(a, "4", Meter.TRAINING_CPU_SECONDS, "m", "2", 12.5, morning);
        write(b, "5", Meter.PREDICT_RECORDS, "n", "1", 300, morning);
        write(b, "6", Meter.PREDICT_RECORDS, "n", "1", 999, Instant.parse("2020-02-04T00:00:00Z"));
    }

    void write(String tenant, String id, Meter meter, String model, String version, double q, Instant at) {
        store.insert(TenantId.of(tenant), id, meter, Map.of("model", model, "version", version), q, at);
    }

    static Response report(String groupBy, String accept) {
        return Api.asOperator()
                .accept(accept)
                .queryParam("from", DAY)
                .queryParam("to", "2020-02-04")
                .queryParam("groupBy", groupBy)
                .queryParam("limit", 1000)
                .get("/api/v1/reports/usage");
    }

    /** Sum of quantity of one meter over the report's rows restricted to the test's tenants. */
    static double sum(Response r, String meter) {
        List<Map<String, Object>> items = r.jsonPath().getList("items");
        return items.stream()
                .filter(i -> meter.equals(i.get("meter")))
                .filter(i -> i.get("tenant") == null || a.equals(i.get("tenant")) || b.equals(i.get("tenant")))
                .mapToDouble(i -> ((Number) i.get("quantity")).doubleValue())
                .sum();
    }

    @Test
    void shouldEqualTheHandComputedFiguresOfTheDayPerTenant() {
        Response r = report("tenant", "application/json");
        r.then().statusCode(200);
        List<Map<String, Object>> items = r.jsonPath().getList("items");
        assertThat(items).anySatisfy(i -> {
            assertThat(i).containsEntry("tenant", a).containsEntry("meter", "predict.records");
            assertThat(((Number) i.get("quantity")).doubleValue()).isEqualTo(1290.0);
        });
        assertThat(items).anySatisfy(i -> {
            assertThat(i).containsEntry("tenant", b).containsEntry("meter", "predict.records");
            assertThat(((Number) i.get("quantity")).doubleValue()).isEqualTo(300.0);
        });
        assertThat(items).anySatisfy(i -> {
            assertThat(i).containsEntry("tenant", a).containsEntry("meter", "training.cpu_seconds");
            assertThat(((Number) i.get("quantity")).doubleValue()).isEqualTo(12.5);
        });
    }

    @Test
    void shouldReconcileEveryGroupingWithTheTotal() {
        double total = sum(report("tenant", "application/json"), "predict.records");
        assertThat(total).isEqualTo(1590.0);
        for (String groupBy : List.of("tenant,model", "tenant,version", "tenant,day", "tenant,month,model,version")) {
            assertThat(sum(report(groupBy, "application/json"), "predict.records"))
                    .as(groupBy)
                    .isEqualTo(total);
        }
    }

    @Test
    void shouldGiveTheSameFiguresAsCsv() {
        Response r = report("tenant,model,version", "text/csv");
        r.then().statusCode(200).contentType("text/csv");
        String csv = r.asString();
        assertThat(csv.lines().findFirst()).contains("tenant,month,day,meter,unit,model,version,quantity");
        assertThat(csv).contains(a + ",,,predict.records,records,m,1,1250.0");
        assertThat(csv).contains(a + ",,,predict.records,records,m,2,40.0");
        assertThat(csv).contains(b + ",,,predict.records,records,n,1,300.0");
    }

    @Test
    void shouldAnswerJsonToAClientThatAcceptsAnythingAsCurlDoes() {
        for (String path : List.of("/api/v1/reports/usage", "/api/v1/reports/costs", "/api/v1/reports/cost-value")) {
            Api.asOperator().accept("*/*").get(path).then().statusCode(200).contentType("application/json");
        }
    }

    @Test
    void shouldRefuseTheReportToATenantAdmin() {
        Api.as(adminA).get("/api/v1/reports/usage").then().statusCode(403);
    }
}
