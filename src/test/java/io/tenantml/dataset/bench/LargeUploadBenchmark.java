package io.tenantml.dataset.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tenantml.testing.ServiceJvm;
import io.tenantml.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A 1,000,000-row CSV upload to the packaged service running with {@code -Xmx512m}, streamed by the client
 * as it is generated (chunked, never held in memory), then streamed back through GET .../rows. Needs
 * {@code ./mvnw package -DskipTests} first; see docs/benchmarks.md, section "1,000,000-row upload at -Xmx512m".
 */
@Tag("benchmark")
class LargeUploadBenchmark {

    static final int ROWS = 1_000_000;
    static final long SEED = 20261126L;
    static final String OPERATOR_KEY = "bench-operator-key-0123456789-abcdefghijklmnop";
    static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @Test
    void uploadMillionRowsAt512MbHeap() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar)
                .as("build the service first: ./mvnw -B package -DskipTests")
                .exists();
        String database = "tenantml_bench_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path dir = Files.createTempDirectory("tenantml-bench");
        Files.createDirectories(dir.resolve("manifests"));
        Path gcLog = dir.resolve("gc.log");
        sql("create database " + database);
        int port;
        int managementPort;
        try (ServerSocket socket = new ServerSocket(0);
                ServerSocket management = new ServerSocket(0)) {
            port = socket.getLocalPort();
            managementPort = management.getLocalPort();
        }
        List<String> command = ServiceJvm.command(jar, "-Xmx512m", "-Xlog:gc:file=" + gcLog);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("service.log").toFile());
        builder.environment().put("TENANTML_DB_URL", TestDatabase.SERVER + database);
        builder.environment().put("TENANTML_DATA_DIR", dir.resolve("data").toString());
        builder.environment()
                .put("TENANTML_MANIFESTS_DIR", dir.resolve("manifests").toString());
        builder.environment().put("TENANTML_BOOTSTRAP_OPERATOR_KEY", OPERATOR_KEY);
        builder.environment().put("TENANTML_PORT", Integer.toString(port));
        builder.environment().put("TENANTML_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("OPT_OUT_TRACKING", "true");
        Process service = builder.start();
        try {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + port;
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> http.send(
                                            HttpRequest.newBuilder(URI.create(
                                                            "http://127.0.0.1:" + managementPort + "/q/health/ready"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200);
            String tenant = "bench-" + Long.toString(System.nanoTime(), 36);
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/tenants"))
                            .header("Authorization", "Bearer " + OPERATOR_KEY)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + tenant + "\",\"name\":\"bench\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String admin = created.body().replaceAll(".*\"adminApiKey\"\\s*:\\s*\"([^\"]+)\".*", "$1");

            GeneratedCsv body = new GeneratedCsv(ROWS, SEED);
            long t0 = System.nanoTime();
            HttpResponse<String> upload = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/tenants/" + tenant + "/datasets/big/versions"))
                            .header("Authorization", "Bearer " + admin)
                            .header("Content-Type", "text/csv")
                            .timeout(Duration.ofMinutes(15))
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            double uploadSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
            assertThat(upload.body()).contains("\"rows\":" + ROWS + ",");

            long t1 = System.nanoTime();
            HttpResponse<InputStream> rows = http.send(
                    HttpRequest.newBuilder(
                                    URI.create(base + "/api/v1/tenants/" + tenant + "/datasets/big/versions/1/rows"))
                            .header("Authorization", "Bearer " + admin)
                            .header("Accept", "text/csv")
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long lines = 0;
            try (InputStream in = rows.body()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
            double downloadSeconds = (System.nanoTime() - t1) / 1e9;
            assertThat(rows.statusCode()).isEqualTo(200);
            assertThat(lines).isEqualTo(ROWS + 1L);
            assertThat(service.isAlive()).isTrue();

            long peakRssKb = vmHwmKb(service.pid());
            long peakHeapMb = peakHeapMb(gcLog);
            String report = String.format(
                    Locale.ROOT,
                    """
                    Run on %s, JDK %s, %d cores. Service: `java -Xmx512m -jar target/quarkus-app/quarkus-run.jar`.
                    Body: %,d rows x 6 columns (sequential id, timestamp, 2 numerics, categorical, text), %.1f MB of CSV,
                    generated while sent (chunked), seed %d. Schema inferred (guessed from the first rows, confirmed in the same single pass).

                    | step | result | seconds | rows/s |
                    |---|---|---|---|
                    | POST .../versions (1,000,000 rows) | 201, rows = %,d | %.1f | %,.0f |
                    | GET .../versions/1/rows (text/csv, streamed back) | 200, %,d lines | %.1f | %,.0f |

                    Peak heap seen at a GC: %d MB of the 512 MB limit; peak resident set of the service process: %.0f MB.
                    """,
                    java.time.LocalDate.now(),
                    System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(),
                    ROWS,
                    body.bytes() / 1e6,
                    SEED,
                    ROWS,
                    uploadSeconds,
                    ROWS / uploadSeconds,
                    lines,
                    downloadSeconds,
                    ROWS / downloadSeconds,
                    peakHeapMb,
                    peakRssKb / 1024.0);
            System.out.println(report);
            BenchmarkDocs.replaceSection("dataset-large-upload", report);
        } finally {
            service.destroy();
            if (!service.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
            sql("drop database if exists " + database + " with (force)");
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long vmHwmKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static long peakHeapMb(Path gcLog) throws IOException {
        long peak = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_LINE.matcher(line);
            while (m.find()) {
                peak = Math.max(peak, Long.parseLong(m.group(1)));
            }
        }
        return peak;
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.SERVER + "postgres", TestDatabase.USER, "");
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** CSV rows produced on demand from a seeded generator: the client never holds the body. */
    static final class GeneratedCsv extends InputStream {
        private static final String[] CATEGORIES = {
            "north", "south", "east", "west", "central", "online", "partner", "retail", "wholesale", "export"
        };
        private final int rows;
        private final SplittableRandom random;
        private int row = -1;
        private byte[] current = "id,ts,amount,score,category,comment\n".getBytes(StandardCharsets.UTF_8);
        private int pos;
        private long bytes;

        GeneratedCsv(int rows, long seed) {
            this.rows = rows;
            this.random = new SplittableRandom(seed);
        }

        long bytes() {
            return bytes;
        }

        private boolean refill() {
            if (++row >= rows) {
                return false;
            }
            long ts = 1_700_000_000L + row * 30L;
            String line = row + "," + java.time.Instant.ofEpochSecond(ts) + ","
                    + String.format(Locale.ROOT, "%.2f", random.nextDouble(0, 5000)) + ","
                    + String.format(Locale.ROOT, "%.4f", random.nextGaussian()) + ","
                    + CATEGORIES[random.nextInt(CATEGORIES.length)] + ",order "
                    + Long.toString(random.nextLong(1L << 40), 36) + "\n";
            current = line.getBytes(StandardCharsets.UTF_8);
            pos = 0;
            return true;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int written = 0;
            while (written < len) {
                if (pos == current.length && !refill()) {
                    break;
                }
                int n = Math.min(len - written, current.length - pos);
                System.arraycopy(current, pos, b, off + written, n);
                pos += n;
                written += n;
            }
            bytes += written;
            return written == 0 ? -1 : written;
        }
    }
}
