package io.tenantml.dataset.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Ingestion of flights-200k through the API (spool, parse, validate, profile, compress, store, commit)
 * side by side with PostgreSQL COPY of the same rows into a table, in the same run and on the same
 * database. Run: see docs/benchmarks.md, section "Dataset ingestion vs PostgreSQL COPY".
 */
@QuarkusTest
@TestProfile(DatasetIngestionBenchmark.Limits.class)
@Tag("benchmark")
class DatasetIngestionBenchmark {

    /** The test profile lowers max-rows for the limit test; the benchmark needs the production default. */
    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tenantml.dataset.max-rows", "5000000", "%test.tenantml.dataset.max-rows", "5000000");
        }
    }

    static final int ROUNDS = 5;
    /** Runs per round: JSON and CSV later versions, JSON and CSV first versions, COPY. */
    static final int PATHS = 5;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    URI baseUri;

    final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Run(String what, double seconds, long rows, long peakHeapBytes) {
        double rowsPerSecond() {
            return rows / seconds;
        }

        Run named(String name) {
            return new Run(name, seconds, rows, peakHeapBytes);
        }
    }

    @Test
    void ingestFlights200kAgainstCopy() throws Exception {
        byte[] json = resource("flights-200k.json");
        byte[] csv = toCsv(json);
        // A later version must hold other rows than the one before it (an upload identical to the latest version
        // is answered unchanged and stores nothing): every other one has the first two rows swapped.
        byte[][] laterJson = {json, Fixtures.withTheFirstTwoRecordsSwapped(json)};
        byte[][] laterCsv = {csv, toCsv(laterJson[1])};
        String tenant = Api.uniqueTenant("bench");
        String admin = Api.createTenant(tenant);

        // Warm-up: JIT for both paths, on the same file.
        for (int i = 0; i < 3; i++) {
            upload(admin, tenant, "warm", "application/json", laterJson[i % 2], 200_000);
            upload(admin, tenant, "warm-csv", "text/csv", laterCsv[i % 2], 200_000);
            copy(csv, "warm_" + i);
        }

        // Later versions go to datasets whose schema the warm-up froze; every round also creates a new dataset
        // per format, whose first version infers the schema and writes a new blob.
        List<Run> runs = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            int later = (3 + round) % 2;
            runs.add(upload(admin, tenant, "warm", "application/json", laterJson[later], 200_000)
                    .named("API upload, JSON, later version"));
            runs.add(upload(admin, tenant, "warm-csv", "text/csv", laterCsv[later], 200_000)
                    .named("API upload, CSV, later version"));
            runs.add(upload(admin, tenant, "first-json-" + round, "application/json", json, 200_000)
                    .named("API upload, JSON, first version (schema inferred)"));
            runs.add(upload(admin, tenant, "first-csv-" + round, "text/csv", csv, 200_000)
                    .named("API upload, CSV, first version (schema inferred)"));
            runs.add(copy(csv, "flights_" + round));
        }
        String report = report(runs, json.length, csv.length);
        System.out.println(report);
        BenchmarkDocs.replaceSection("dataset-ingestion", report);
    }

    private Run upload(String key, String tenant, String dataset, String contentType, byte[] body, long rows) {
        System.gc();
        resetPeaks();
        // java.net.http rather than REST Assured: the client must not be what is measured.
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(baseUri + "api/v1/tenants/" + tenant + "/datasets/" + dataset + "/versions"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long t0 = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).contains("\"rows\":" + rows + ",");
        return new Run("API upload " + contentType, seconds, rows, peakHeap());
    }

    private Run copy(byte[] csv, String table) throws Exception {
        // a table of its own: the owner's (the application's role may create none)
        try (Connection c = TestDatabase.ownerConnection(jdbcUrl);
                Statement s = c.createStatement()) {
            s.execute(tableDdl("bench_" + table, csv));
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            long rows = c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "copy bench_" + table + " from stdin (format csv, header true)",
                            new ByteArrayInputStream(csv));
            if (!c.getAutoCommit()) {
                c.commit();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peak = peakHeap();
            s.execute("drop table bench_" + table);
            return new Run("PostgreSQL COPY (CSV)", seconds, rows, peak);
        }
    }

    private static String report(List<Run> runs, long jsonBytes, long csvBytes) {
        // flights-200k.json has the columns delay, distance and time (all numbers).
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "Run on %s, JDK %s, %d cores; flights-200k.json = %.1f MB, as CSV = %.1f MB.%n%n",
                java.time.LocalDate.now(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                jsonBytes / 1e6,
                csvBytes / 1e6));
        sb.append("| round | path | seconds | rows/s | peak heap (MB, whole test JVM) |\n|---|---|---|---|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            sb.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %.3f | %,.0f | %.0f |%n",
                    i / PATHS + 1,
                    r.what(),
                    r.seconds(),
                    r.rowsPerSecond(),
                    r.peakHeapBytes() / 1e6));
        }
        double copy = median(runs, "PostgreSQL COPY");
        // Medians over the rounds, per path.
        double jsonLater = median(runs, "API upload, JSON, later");
        double csvLater = median(runs, "API upload, CSV, later");
        double csvFirst = median(runs, "API upload, CSV, first");
        double jsonFirst = median(runs, "API upload, JSON, first");
        sb.append(String.format(
                Locale.ROOT,
                "%nRatios of the medians to COPY's (rows/s; goal >= 0.5): CSV later versions **%.2f**, "
                        + "JSON later versions **%.2f**, CSV first versions **%.2f**, JSON first versions **%.2f** "
                        + "(COPY median %,.0f rows/s).%n",
                csvLater / copy,
                jsonLater / copy,
                csvFirst / copy,
                jsonFirst / copy,
                copy));
        return sb.toString();
    }

    private static double median(List<Run> runs, String prefix) {
        double[] v = runs.stream()
                .filter(r -> r.what().startsWith(prefix))
                .mapToDouble(Run::rowsPerSecond)
                .sorted()
                .toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the reset: an upper bound of the peak heap in use. */
    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed())
                .sum();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = DatasetIngestionBenchmark.class.getResourceAsStream("/datasets/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The same rows as CSV with a header, for COPY and for the CSV upload (flights-200k is all numbers). */
    static byte[] toCsv(byte[] json) throws IOException {
        JsonNode rows = new ObjectMapper().readTree(json);
        List<String> names = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(names::add);
        StringBuilder sb = new StringBuilder(String.join(",", names)).append('\n');
        for (JsonNode row : rows) {
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                JsonNode v = row.get(names.get(i));
                sb.append(
                        v == null || v.isNull()
                                ? ""
                                : v.isTextual() ? v.asText().replace('/', '-') : v.toString());
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A table for COPY with the CSV's columns: numbers as double precision, everything else text. */
    static String tableDdl(String table, byte[] csv) {
        String text = new String(csv, 0, Math.min(csv.length, 4096), StandardCharsets.UTF_8);
        String[] header = text.substring(0, text.indexOf('\n')).split(",");
        String[] first = text.lines().skip(1).findFirst().orElseThrow().split(",", -1);
        StringBuilder ddl = new StringBuilder("create table ").append(table).append(" (");
        for (int i = 0; i < header.length; i++) {
            ddl.append(i > 0 ? ", " : "")
                    .append('"')
                    .append(header[i])
                    .append('"')
                    .append(first[i].matches("-?[0-9.eE+-]+") ? " double precision" : " text");
        }
        return ddl.append(')').toString();
    }
}
