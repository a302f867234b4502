package io.tenantml.storage.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tenantml.dataset.bench.BenchmarkDocs;
import io.tenantml.testing.ServiceJvm;
import io.tenantml.testing.TestDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A node's time to ready (process start to the first 200 of /q/health/ready) with an empty data directory and with
 * the large one of {@link LargeDataDir}, for the packaged service and, given {@code -Dtenantml.bench.before-app=<a
 * quarkus-app directory of another build>} (named by {@code -Dtenantml.bench.before-name}), for that build too, alternating in one run. Needs
 * {@code ./mvnw package -DskipTests} first; see docs/benchmarks.md, section "Start-up sweeps of the data directory".
 */
@Tag("benchmark")
class StartupReadyBenchmark {

    static final int ROUNDS = 3;
    static final String OPERATOR_KEY = "bench-operator-key-0123456789-abcdefghijklmnop";
    static final Pattern SWEEP_DONE = Pattern.compile("Start-up sweep of the data directory done in (\\d+) ms");

    @Test
    void timeToReadyWithAndWithoutALargeDataDirectory() throws Exception {
        Map<String, Path> apps = new LinkedHashMap<>();
        String before = System.getProperty("tenantml.bench.before-app");
        if (before != null) {
            apps.put(System.getProperty("tenantml.bench.before-name", "before"), Path.of(before, "quarkus-run.jar"));
        }
        apps.put("this build", Path.of("target/quarkus-app/quarkus-run.jar"));
        for (Path jar : apps.values()) {
            assertThat(jar)
                    .as("build the service first: ./mvnw -B package -DskipTests")
                    .exists();
        }
        String database = "tenantml_bench_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path dir = Files.createTempDirectory("tenantml-bench-start");
        sql("create database " + database);
        try {
            Map<String, Path> dataDirs = new LinkedHashMap<>();
            dataDirs.put("empty", Files.createDirectories(dir.resolve("empty")));
            dataDirs.put("large", Files.createDirectories(dir.resolve("large")));
            Path lastJar = apps.get("this build");
            // the first start migrates the database: not measured
            run(lastJar, dataDirs.get("empty"), database, dir.resolve("warmup.log"), false);
            long files;
            try (Connection owner = TestDatabase.ownerConnection(TestDatabase.SERVER + database)) {
                files = LargeDataDir.lay(dataDirs.get("large").resolve("blobs"), owner);
            }
            Map<String, List<Long>> ready = new LinkedHashMap<>();
            Map<String, List<Long>> sweep = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (Map.Entry<String, Path> app : apps.entrySet()) {
                    for (Map.Entry<String, Path> data : dataDirs.entrySet()) {
                        if (data.getKey().equals("large")) {
                            LargeDataDir.leftovers(data.getValue().resolve("blobs"));
                        }
                        Path log = dir.resolve("start-" + round + "-" + ready.size() + ".log");
                        long[] times = run(
                                app.getValue(),
                                data.getValue(),
                                database,
                                log,
                                app.getKey().equals("this build"));
                        String key = app.getKey() + " | " + data.getKey();
                        ready.computeIfAbsent(key, k -> new ArrayList<>()).add(times[0]);
                        if (times[1] >= 0) {
                            sweep.computeIfAbsent(key, k -> new ArrayList<>()).add(times[1]);
                        }
                    }
                }
            }
            StringBuilder table = new StringBuilder(
                    "| build | data directory | time to ready, median ms (runs) | background sweep, median ms |\n"
                            + "|---|---|---|---|\n");
            for (Map.Entry<String, List<Long>> e : ready.entrySet()) {
                List<Long> s = sweep.get(e.getKey());
                table.append(String.format(
                        Locale.ROOT,
                        "| %s | %d (%s) | %s |\n",
                        e.getKey(),
                        median(e.getValue()),
                        e.getValue().stream()
                                .map(String::valueOf)
                                .reduce((a, b) -> a + ", " + b)
                                .orElse(""),
                        s == null ? "(in the start)" : Long.toString(median(s))));
            }
            String report = String.format(
                    Locale.ROOT,
                    """
                    Run on %s, JDK %s, %d cores. `java -jar quarkus-run.jar`, PostgreSQL on the same machine, %d rounds
                    alternating builds and data directories; "large" is LargeDataDir (%,d files, %,d tenants, %,d dataset
                    versions), with one round's leftovers laid before each start.

                    %s""",
                    java.time.LocalDate.now(),
                    System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(),
                    ROUNDS,
                    files,
                    LargeDataDir.TENANTS,
                    LargeDataDir.TENANTS * LargeDataDir.DATASETS * LargeDataDir.VERSIONS,
                    table);
            System.out.println(report);
            BenchmarkDocs.replaceSection("startup-ready", report);
        } finally {
            sql("drop database if exists " + database + " with (force)");
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Starts the service, returns {ms to ready, ms of the background sweep or -1}, and stops it. */
    private static long[] run(Path jar, Path dataDir, String database, Path log, boolean waitForSweep)
            throws Exception {
        Files.createDirectories(dataDir.resolve("manifests"));
        int port;
        int managementPort;
        try (ServerSocket socket = new ServerSocket(0);
                ServerSocket management = new ServerSocket(0)) {
            port = socket.getLocalPort();
            managementPort = management.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(ServiceJvm.command(jar))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("TENANTML_DB_URL", TestDatabase.SERVER + database);
        builder.environment().put("TENANTML_DATA_DIR", dataDir.toString());
        builder.environment()
                .put("TENANTML_MANIFESTS_DIR", dataDir.resolve("manifests").toString());
        builder.environment().put("TENANTML_BOOTSTRAP_OPERATOR_KEY", OPERATOR_KEY);
        builder.environment().put("TENANTML_PORT", Integer.toString(port));
        builder.environment().put("TENANTML_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("OPT_OUT_TRACKING", "true");
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest readiness = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long t0 = System.nanoTime();
        Process service = builder.start();
        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(25))
                    .ignoreExceptions()
                    .failFast("the service died", () -> !service.isAlive())
                    .until(() -> http.send(readiness, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200);
            long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            long sweepMs = -1;
            if (waitForSweep) {
                // this build sweeps after it is ready: let it finish before the stop
                long[] found = {-1};
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            Matcher m = SWEEP_DONE.matcher(Files.readString(log));
                            if (m.find()) {
                                found[0] = Long.parseLong(m.group(1));
                            }
                            return found[0] >= 0;
                        });
                sweepMs = found[0];
            }
            return new long[] {readyMs, sweepMs};
        } finally {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.SERVER + "postgres", TestDatabase.USER, "");
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
