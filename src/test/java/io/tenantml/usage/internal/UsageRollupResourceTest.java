package io.tenantml.usage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import io.tenantml.usage.Meter;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Per-minute usage rows older than the minute retention (2 days) become one row per hour, and hour rows older than the
 * hour retention (90 days) one row per UTC day, per tenant, meter, model, version and dimensions, and every report
 * shows the same figures as before.
 */
@QuarkusTest
class UsageRollupResourceTest {

    private static final String DAY = "2020-03-05";

    @Inject
    UsageRollup rollup;

    @Inject
    UsageStore store;

    @Inject
    AgroalDataSource dataSource;

    private final String process =
            "minute:rollup-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private int sequence;

    @Test
    void shouldSumOldMinuteRowsIntoHoursPerTenantAndDimensionsWithReportsUnchanged() throws Exception {
        String a = Api.uniqueTenant("rollup");
        String b = Api.uniqueTenant("rollup");
        String adminA = Api.createTenant(a);
        String adminB = Api.createTenant(b);
        // a: model m versions 1 and 2, two nodes in one minute, an hour on each side, a recommender's queries, the
        // day's last hour; b: the same model name and hour as a
        minute(a, Meter.PREDICT_RECORDS, model("m", "1"), DAY + "T10:00:00Z", 40);
        minute(a, Meter.PREDICT_RECORDS, model("m", "1"), DAY + "T10:00:00Z", 2);
        minute(a, Meter.PREDICT_RECORDS, model("m", "1"), DAY + "T10:59:00Z", 7);
        minute(a, Meter.PREDICT_RECORDS, model("m", "1"), DAY + "T11:30:00Z", 100);
        minute(a, Meter.PREDICT_RECORDS, model("m", "2"), DAY + "T10:15:00Z", 5);
        minute(a, Meter.RECOMMEND_QUERIES, Map.of("recommender", "r"), DAY + "T10:20:00Z", 3);
        minute(a, Meter.PREDICT_RECORDS, model("m", "1"), DAY + "T23:59:00Z", 11);
        minute(b, Meter.PREDICT_RECORDS, model("m", "1"), DAY + "T10:30:00Z", 900);
        Instant recent = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        minute(a, Meter.PREDICT_RECORDS, model("m", "1"), recent.toString(), 13);
        Tenants tenants = new Tenants(a, adminA, b, adminB);
        Reports before = tenants.reports(DAY, "2020-03-07", recent);
        assertThat(before.usageA()).contains("\"quantity\":").contains("predict.records");

        long moved = rollup.rollUp();

        assertThat(moved).isGreaterThanOrEqualTo(8);
        assertThat(rows(a, "minute:%")).containsExactly(row(Meter.PREDICT_RECORDS, "m", 1, "{}", recent, 13));
        assertThat(rows(a, "hour:%"))
                .containsExactlyInAnyOrder(
                        row(Meter.PREDICT_RECORDS, "m", 1, "{}", Instant.parse(DAY + "T10:00:00Z"), 49),
                        row(Meter.PREDICT_RECORDS, "m", 1, "{}", Instant.parse(DAY + "T11:00:00Z"), 100),
                        row(Meter.PREDICT_RECORDS, "m", 2, "{}", Instant.parse(DAY + "T10:00:00Z"), 5),
                        row(
                                Meter.RECOMMEND_QUERIES,
                                null,
                                null,
                                "{\"recommender\": \"r\"}",
                                Instant.parse(DAY + "T10:00:00Z"),
                                3),
                        row(Meter.PREDICT_RECORDS, "m", 1, "{}", Instant.parse(DAY + "T23:00:00Z"), 11));
        assertThat(rows(b, "minute:%")).isEmpty();
        assertThat(rows(b, "hour:%"))
                .containsExactly(row(Meter.PREDICT_RECORDS, "m", 1, "{}", Instant.parse(DAY + "T10:00:00Z"), 900));
        assertThat(tenants.reports(DAY, "2020-03-07", recent)).isEqualTo(before);

        List<Row> hours = rows(a, "hour:%");
        rollup.rollUp();
        assertThat(rows(a, "hour:%")).containsExactlyInAnyOrderElementsOf(hours);
        assertThat(usage(adminA, a, DAY, "2020-03-07")).isEqualTo(before.usageA());
    }

    @Test
    void shouldSumOldHourRowsIntoUtcDaysPerTenantAndDimensionsWithReportsUnchanged() throws Exception {
        String day = "2019-06-10", next = "2019-06-11";
        String a = Api.uniqueTenant("dayrollup");
        String b = Api.uniqueTenant("dayrollup");
        String adminA = Api.createTenant(a);
        String adminB = Api.createTenant(b);
        // a: two hours and two versions of one day, the next day's first hour; b: the same model and day as a
        minute(a, Meter.PREDICT_RECORDS, model("m", "1"), day + "T00:00:00Z", 4);
        minute(a, Meter.PREDICT_RECORDS, model("m", "1"), day + "T13:10:00Z", 30);
        minute(a, Meter.PREDICT_RECORDS, model("m", "1"), day + "T23:59:00Z", 500);
        minute(a, Meter.PREDICT_RECORDS, model("m", "2"), day + "T13:20:00Z", 6);
        minute(a, Meter.RECOMMEND_QUERIES, Map.of("recommender", "r"), day + "T08:00:00Z", 2);
        minute(a, Meter.PREDICT_RECORDS, model("m", "1"), next + "T00:05:00Z", 70);
        minute(b, Meter.PREDICT_RECORDS, model("m", "1"), day + "T13:10:00Z", 800);
        // inside the hour retention: stays an hour row
        Instant recent = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        minute(a, Meter.PREDICT_RECORDS, model("m", "1"), recent.toString(), 9);
        rollup.rollUp();
        assertThat(rows(a, "hour:%")).hasSize(7);
        Tenants tenants = new Tenants(a, adminA, b, adminB);
        Reports before = tenants.reports(day, "2019-06-12", recent);

        assertThat(rollup.rollUpHours()).isGreaterThanOrEqualTo(6);

        assertThat(rows(a, "hour:%")).containsExactly(row(Meter.PREDICT_RECORDS, "m", 1, "{}", recent, 9));
        Instant dayStart = Instant.parse(day + "T00:00:00Z");
        assertThat(rows(a, "day:%"))
                .containsExactlyInAnyOrder(
                        row(Meter.PREDICT_RECORDS, "m", 1, "{}", dayStart, 534),
                        row(Meter.PREDICT_RECORDS, "m", 2, "{}", dayStart, 6),
                        row(Meter.RECOMMEND_QUERIES, null, null, "{\"recommender\": \"r\"}", dayStart, 2),
                        row(Meter.PREDICT_RECORDS, "m", 1, "{}", Instant.parse(next + "T00:00:00Z"), 70));
        assertThat(rows(b, "day:%")).containsExactly(row(Meter.PREDICT_RECORDS, "m", 1, "{}", dayStart, 800));
        assertThat(tenants.reports(day, "2019-06-12", recent)).isEqualTo(before);

        List<Row> days = rows(a, "day:%");
        rollup.rollUpHours();
        assertThat(rows(a, "day:%")).containsExactlyInAnyOrderElementsOf(days);
    }

    @Test
    void shouldCountEveryMinuteOnceWhenTwoNodesRollUpAtOnceInSmallBatches() throws Exception {
        String tenant = Api.uniqueTenant("rollup");
        Api.createTenant(tenant);
        long seed = 20261201L;
        Random random = new Random(seed);
        Map<Instant, Long> expected = new TreeMap<>();
        for (int i = 0; i < 400; i++) {
            Instant at = Instant.parse(DAY + "T09:00:00Z").plus(random.nextInt(4 * 60), ChronoUnit.MINUTES);
            long quantity = 1 + random.nextInt(1_000);
            minute(tenant, Meter.PREDICT_RECORDS, model("m", "1"), at.toString(), quantity);
            expected.merge(at.truncatedTo(ChronoUnit.HOURS), quantity, Long::sum);
        }
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            List<Future<Long>> runs = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                runs.add(nodes.submit(() -> {
                    together.await();
                    return rollup.rollUp(7);
                }));
            }
            for (Future<Long> run : runs) {
                run.get();
            }
        } finally {
            nodes.shutdownNow();
        }

        Map<Instant, Long> actual = new TreeMap<>();
        for (Row r : rows(tenant, "hour:%")) {
            actual.merge(r.occurredAt(), (long) r.quantity(), Long::sum);
        }
        assertThat(rows(tenant, "minute:%")).as("seed %d", seed).isEmpty();
        assertThat(rows(tenant, "hour:%")).as("seed %d: one row per hour", seed).hasSize(expected.size());
        assertThat(actual).as("seed %d", seed).isEqualTo(expected);
    }

    /** What the reports show: both tenants' usage from the rolled-up day, a's recent usage, the day's costs. */
    record Reports(String usageA, String usageB, String recentA, String costs) {}

    /** Two tenants with an admin key each, whose reports a rollup must leave unchanged. */
    record Tenants(String a, String adminA, String b, String adminB) {

        Reports reports(String day, String to, Instant recent) {
            return new Reports(
                    usage(adminA, a, day, to),
                    usage(adminB, b, day, to),
                    usage(adminA, a, recent.minus(1, ChronoUnit.DAYS).toString(), ""),
                    costs(a, b, day));
        }
    }

    record Row(String meter, String model, Integer version, String dimensions, Instant occurredAt, double quantity) {}

    private static Row row(Meter meter, String model, Integer version, String dimensions, Instant at, double q) {
        return new Row(meter.wireName(), model, version, dimensions, at, q);
    }

    private static Map<String, String> model(String model, String version) {
        return Map.of("model", model, "version", version);
    }

    private void minute(String tenant, Meter meter, Map<String, String> dimensions, String at, long quantity)
            throws Exception {
        Instant minute = Instant.parse(at);
        MinuteTotals.Key key = new MinuteTotals.Key(
                TenantId.of(tenant), meter, new TreeMap<>(dimensions), minute.getEpochSecond() / 60);
        store.upsert(List.of(new MinuteTotals.Snapshot(key, process + (++sequence), quantity)));
    }

    private List<Row> rows(String tenant, String idPattern) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select meter, model, version, dimensions::text,"
                        + " occurred_at, quantity from usage_event where tenant_id = ? and idempotency_id like ?")) {
            ps.setString(1, tenant);
            ps.setString(2, idPattern);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(
                            rs.getString(1),
                            rs.getString(2),
                            (Integer) rs.getObject(3),
                            rs.getString(4),
                            rs.getTimestamp(5).toInstant(),
                            rs.getDouble(6)));
                }
            }
        }
        return rows;
    }

    private static String usage(String admin, String tenant, String from, String to) {
        Response r = Api.as(admin)
                .queryParam("from", from)
                .queryParam("to", to)
                .queryParam("groupBy", "day,model,version")
                .queryParam("limit", 1000)
                .get("/api/v1/tenants/" + tenant + "/usage");
        r.then().statusCode(200);
        return r.asString();
    }

    /** The operators' cost report of the day, the two tenants' rows only. */
    private static String costs(String a, String b, String day) {
        Response r = Api.asOperator()
                .queryParam("from", day)
                .queryParam("to", java.time.LocalDate.parse(day).plusDays(1).toString())
                .queryParam("groupBy", "tenant,meter,model,version")
                .queryParam("limit", 1000)
                .get("/api/v1/reports/costs");
        r.then().statusCode(200);
        List<Map<String, Object>> items = r.jsonPath().getList("items");
        Map<String, Object> ours = new HashMap<>();
        for (Map<String, Object> item : items) {
            if (a.equals(item.get("tenant")) || b.equals(item.get("tenant"))) {
                ours.put(
                        item.get("tenant") + "/" + item.get("meter") + "/" + item.get("model") + "/"
                                + item.get("version"),
                        item);
            }
        }
        assertThat(ours).isNotEmpty();
        return new TreeMap<>(ours).toString();
    }
}
