package io.tenantml.usage.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.dataset.bench.BenchmarkDocs;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import io.tenantml.testing.TestDatabase;
import io.tenantml.usage.Meter;
import io.tenantml.usage.internal.MinuteTotals;
import io.tenantml.usage.internal.UsageRollup;
import io.tenantml.usage.internal.UsageStore;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A month of online traffic as the meters write it (one row per node, model version and minute) for two tenants,
 * read through the usage and cost reports before and after the rollup sums it into hours, side by side in one run.
 * Run: see docs/benchmarks.md, section "Usage rows: minutes summed into hours".
 */
@QuarkusTest
@Tag("benchmark")
class UsageRollupBenchmark {

    static final int DAYS = 30;
    static final int NODES = 2;
    static final int VERSIONS = 2;
    static final int TENANTS = 2;
    static final int ROUNDS = 7;
    static final String FROM = "2020-01-01";
    static final String TO = "2020-01-31";

    @Inject
    UsageStore store;

    @Inject
    UsageRollup rollup;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void reportsOverAMonthOfMinuteRowsAgainstTheSameMonthInHours() throws Exception {
        List<String> tenants = new ArrayList<>();
        List<String> admins = new ArrayList<>();
        long t0 = System.nanoTime();
        long written = 0;
        for (int t = 0; t < TENANTS; t++) {
            String tenant = Api.uniqueTenant("usage-bench");
            admins.add(Api.createTenant(tenant));
            tenants.add(tenant);
            written += writeMonth(tenant, t);
        }
        double writeSeconds = (System.nanoTime() - t0) / 1e9;

        String admin = admins.get(0);
        String tenant = tenants.get(0);
        Supplier<Response> usage = () -> Api.as(admin)
                .queryParam("from", FROM)
                .queryParam("to", TO)
                .queryParam("groupBy", "day,model,version")
                .queryParam("limit", 1000)
                .get("/api/v1/tenants/" + tenant + "/usage");
        Supplier<Response> costs = () -> Api.asOperator()
                .queryParam("from", FROM)
                .queryParam("to", TO)
                .queryParam("groupBy", "tenant,month")
                .queryParam("limit", 1000)
                .get("/api/v1/reports/costs");

        Map<String, List<Double>> before = new LinkedHashMap<>();
        String usageBefore = measure(before, usage);
        String costsBefore = measure(before, costs);
        long rowsBefore = rows(tenants);
        long bytesBefore = tableBytes();

        long t1 = System.nanoTime();
        while (rollup.rollUp() > 0) {
            // a run moves at most its share; the benchmark times the whole backlog
        }
        double rollupSeconds = (System.nanoTime() - t1) / 1e9;
        // as the table's owner: the application role may not vacuum
        try (Connection c = TestDatabase.ownerConnection(jdbcUrl);
                PreparedStatement ps = c.prepareStatement("vacuum analyze usage_event")) {
            ps.execute();
        }

        Map<String, List<Double>> after = new LinkedHashMap<>();
        assertThat(measure(after, usage)).isEqualTo(usageBefore);
        assertThat(measure(after, costs)).isEqualTo(costsBefore);
        long rowsAfter = rows(tenants);
        long bytesAfter = tableBytes();

        StringBuilder table = new StringBuilder(
                "| request | minute rows: median ms | hour rows: median ms | after / before |\n|---|---|---|---|\n");
        String[] names = {
            "tenant usage, a month by day, model, version (`GET /tenants/{t}/usage`)",
            "operators' cost report, a month by tenant (`GET /reports/costs`)"
        };
        List<List<Double>> b = new ArrayList<>(before.values());
        List<List<Double>> a = new ArrayList<>(after.values());
        for (int i = 0; i < names.length; i++) {
            double mb = median(b.get(i));
            double ma = median(a.get(i));
            table.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.2f |\n", names[i], mb, ma, ma / mb));
        }
        String report = String.format(
                Locale.ROOT,
                """
                Run on %s, JDK %s, %d cores, in the test JVM (PostgreSQL on the same machine). %d tenants, each %d days of
                one row per minute for %d nodes x %d model versions: %,d minute rows written in %.1f s. Rollup: %,d rows
                into %,d in %.1f s (%,.0f minute rows/s). Table usage_event with its indexes: %,d MB before, %,d MB
                after a plain vacuum (the space is reused, not returned). Medians of %d requests each; both answers
                equal before and after (checked).

                %s""",
                java.time.LocalDate.now(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                TENANTS,
                DAYS,
                NODES,
                VERSIONS,
                written,
                writeSeconds,
                rowsBefore,
                rowsAfter,
                rollupSeconds,
                rowsBefore / rollupSeconds,
                bytesBefore >> 20,
                bytesAfter >> 20,
                ROUNDS,
                table);
        System.out.println(report);
        BenchmarkDocs.replaceSection("usage-rollup", report);
    }

    private long writeMonth(String tenant, int tenantIndex) throws Exception {
        long firstMinute = Instant.parse(FROM + "T00:00:00Z").getEpochSecond() / 60;
        List<MinuteTotals.Snapshot> batch = new ArrayList<>();
        long written = 0;
        long sequence = 0;
        for (long minute = firstMinute; minute < firstMinute + DAYS * 1440L; minute++) {
            for (int node = 0; node < NODES; node++) {
                for (int version = 1; version <= VERSIONS; version++) {
                    MinuteTotals.Key key = new MinuteTotals.Key(
                            TenantId.of(tenant),
                            Meter.PREDICT_RECORDS,
                            new TreeMap<>(Map.of("model", "churn", "version", Integer.toString(version))),
                            minute);
                    long quantity = 1 + (minute * 31 + node * 7 + version + tenantIndex) % 500;
                    batch.add(new MinuteTotals.Snapshot(
                            key, "minute:bench-" + tenantIndex + "-" + node + ":" + (++sequence), quantity));
                    if (batch.size() == 10_000) {
                        store.upsert(batch);
                        written += batch.size();
                        batch.clear();
                    }
                }
            }
        }
        store.upsert(batch);
        return written + batch.size();
    }

    private static String measure(Map<String, List<Double>> ms, Supplier<Response> request) {
        List<Double> times = new ArrayList<>();
        String body = null;
        for (int round = 0; round < ROUNDS; round++) {
            long t = System.nanoTime();
            Response r = request.get();
            times.add((System.nanoTime() - t) / 1e6);
            r.then().statusCode(200);
            body = r.asString();
        }
        ms.put("m" + ms.size(), times);
        return body;
    }

    private long rows(List<String> tenants) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select count(*) from usage_event where tenant_id = any (?)")) {
            ps.setArray(1, c.createArrayOf("varchar", tenants.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long tableBytes() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select pg_total_relation_size('usage_event')");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
