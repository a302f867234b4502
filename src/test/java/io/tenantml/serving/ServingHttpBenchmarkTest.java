package io.tenantml.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.monitoring.MonitoringMetrics;
import io.tenantml.monitoring.PredictionLog;
import io.tenantml.serving.benchmark.BenchmarkStats;
import io.tenantml.serving.benchmark.FixedRate;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * HTTP serving side by side in one run, loopback only: throughput of POST /predict (one flights record)
 * against the service's own /q/health/live and a static page served by nginx (wrk, 2 threads, 32
 * connections); latency at a fixed 1,000 requests/s (wrk from Debian has no -R, so a small generator here
 * sends on a fixed schedule and measures from each request's intended start, which keeps queueing delay in
 * the numbers); and the cold-load time of a model. Needs {@code wrk} and {@code nginx} on the PATH.
 * The service runs in this JVM (the test profile); the load generators are separate processes, except
 * the fixed-rate one.
 */
@QuarkusTest
@Tag("benchmark")
class ServingHttpBenchmarkTest {

    private static final Duration WARMUP = Duration.ofSeconds(3);
    /** Before any measurement: long enough for the JIT to compile the request path (C2), not just start. */
    private static final Duration JIT_WARMUP = Duration.ofSeconds(20);

    private static final int PASSES = 3;
    private static final Duration RUN = Duration.ofSeconds(10);
    private static final int RATE = 1_000;
    private static final String BODY = "{\"records\":[{\"date\":\"2001-01-05T18:30:00Z\",\"distance\":1200,"
            + "\"origin\":\"ORD\",\"destination\":\"LAX\"}]}";

    @TestHTTPResource("/")
    URL root;

    /** The health endpoint is on the management interface (its own port), served by the same Vert.x. */
    @TestHTTPResource(value = "/health/live", management = true)
    URL health;

    @Inject
    LoadedModels models;

    @Inject
    ServingMetrics metrics;

    @Inject
    PredictionLog log;

    record WrkResult(double requestsPerSecond, String p50, String p99, long errors) {}

    @Test
    void predictThroughputAndFixedRateLatencyAgainstHealthAndNginx() throws Exception {
        String tenant = Api.uniqueTenant("bench");
        String admin = Api.createTenant(tenant);
        ServingFixtures.upload(tenant, admin, "flights", "flights-20k.json");
        Map<String, Object> spec = new HashMap<>(ServingFixtures.FLIGHTS);
        spec.put("params", Map.of("numRounds", 100, "maxDepth", 6, "eta", 0.1, "seed", ServingFixtures.SEED));
        ServingFixtures.putModel(tenant, admin, "delays", spec, true);
        ServingFixtures.train(tenant, admin, "delays");
        String key = Api.createKey(tenant, admin, "integration");
        String base = root.toString().replaceAll("/$", "");
        String predictUrl = base + "/api/v1/tenants/" + tenant + "/models/delays/predict";
        String healthUrl = health.toString();

        String cold = coldLoads(tenant, key, predictUrl);

        Path dir = Files.createTempDirectory(
                "tenantml-nginx-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int nginxPort = freePort();
        Process nginx = startNginx(dir, nginxPort);
        try {
            String nginxUrl = "http://127.0.0.1:" + nginxPort + "/page.json";
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> HttpClient.newHttpClient()
                                    .send(
                                            HttpRequest.newBuilder(URI.create(nginxUrl))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200);
            Path script = dir.resolve("predict.lua");
            Files.writeString(
                    script,
                    "wrk.method = \"POST\"\nwrk.body = '" + BODY + "'\n"
                            + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                            + "wrk.headers[\"Authorization\"] = \"Bearer " + key + "\"\n");

            run(wrkCommand(predictUrl, script, JIT_WARMUP));
            run(wrkCommand(healthUrl, null, JIT_WARMUP.dividedBy(2)));
            long batchesBefore = metrics.summaryCount(ServingMetrics.BATCH_ROWS, tenant, "delays");
            double rowsBefore = metrics.summaryTotal(ServingMetrics.BATCH_ROWS, tenant, "delays");
            Map<String, List<WrkResult>> throughput = new LinkedHashMap<>();
            for (int pass = 0; pass < PASSES; pass++) {
                throughput
                        .computeIfAbsent("nginx static page", k -> new ArrayList<>())
                        .add(wrk(nginxUrl, null));
                throughput
                        .computeIfAbsent("/q/health/live", k -> new ArrayList<>())
                        .add(wrk(healthUrl, null));
                throughput
                        .computeIfAbsent("POST /predict (1 record)", k -> new ArrayList<>())
                        .add(wrk(predictUrl, script));
            }
            double dropped = metrics.count(MonitoringMetrics.LOG_DROPPED, tenant, "delays");
            double rowsPerCall = (metrics.summaryTotal(ServingMetrics.BATCH_ROWS, tenant, "delays") - rowsBefore)
                    / Math.max(1, metrics.summaryCount(ServingMetrics.BATCH_ROWS, tenant, "delays") - batchesBefore);

            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(
                            4, Thread.ofPlatform().name("bench-client-", 0).factory()))
                    .build();
            Map<String, FixedRate.Result> fixed = new LinkedHashMap<>();
            // Let the log writer catch up with the throughput passes before counting drops at the fixed rate.
            log.flush(Duration.ofSeconds(60));
            double droppedBeforeFixedRate = metrics.count(MonitoringMetrics.LOG_DROPPED, tenant, "delays");
            fixed.put(
                    "nginx static page",
                    fixedRate(
                            client,
                            HttpRequest.newBuilder(URI.create(nginxUrl)).GET().build()));
            fixed.put(
                    "/q/health/live",
                    fixedRate(
                            client,
                            HttpRequest.newBuilder(URI.create(healthUrl)).GET().build()));
            fixed.put(
                    "POST /predict (1 record)",
                    fixedRate(
                            client,
                            HttpRequest.newBuilder(URI.create(predictUrl))
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + key)
                                    .POST(HttpRequest.BodyPublishers.ofString(BODY))
                                    .build()));

            double droppedAtFixedRate =
                    metrics.count(MonitoringMetrics.LOG_DROPPED, tenant, "delays") - droppedBeforeFixedRate;
            BenchmarkStats.write(
                    "serving-http", report(throughput, fixed, cold, dropped, rowsPerCall, droppedAtFixedRate));
            assertThat(fixed.get("POST /predict (1 record)").errors()).isZero();
        } finally {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Drops the model from the cache, then times the first request (which loads it) against a warm one. */
    private String coldLoads(String tenant, String key, String url) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        int n = 10;
        long[] coldNanos = new long[n];
        long[] warmNanos = new long[n];
        for (int i = 0; i < n; i++) {
            models.evict(new TenantId(tenant));
            assertThat(models.isLoaded(new TenantId(tenant), "delays", 1)).isFalse();
            long t0 = System.nanoTime();
            assertThat(client.send(request, HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            long t1 = System.nanoTime();
            assertThat(client.send(request, HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            long t2 = System.nanoTime();
            coldNanos[i] = t1 - t0;
            warmNanos[i] = t2 - t1;
        }
        var loadTimer =
                metrics.timer(ServingMetrics.CACHE_LOAD, tenant, "delays").orElseThrow();
        return String.format(
                Locale.ROOT,
                "| first request after eviction (cold: blob read + SHA-256 + parse + predict) "
                        + "| %.1f | %.1f |%n| next request (warm) | %.1f | %.1f |%n| the load alone (cache load timer, mean of %d) | %.1f | %.1f (max) |%n",
                BenchmarkStats.percentileMicros(coldNanos, 50) / 1000,
                BenchmarkStats.percentileMicros(coldNanos, 100) / 1000,
                BenchmarkStats.percentileMicros(warmNanos, 50) / 1000,
                BenchmarkStats.percentileMicros(warmNanos, 100) / 1000,
                loadTimer.count(),
                loadTimer.mean(TimeUnit.MILLISECONDS),
                loadTimer.max(TimeUnit.MILLISECONDS));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** nginx on a loopback port with its own config, pid, logs and temp dirs under {@code dir}. */
    private static Process startNginx(Path dir, int port) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(
                www.resolve("page.json"),
                "{\"model\":\"delays\",\"version\":1,\"predictions\":[{\"id\":"
                        + "\"00000000-0000-0000-0000-000000000000\",\"score\":0.2,\"label\":\"<= 15\"}],\"warnings\":[]}");
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / { root %1$s/www; default_type application/json; }
                    }
                }
                """.formatted(dir, port));
        return new ProcessBuilder(
                        "nginx",
                        "-p",
                        dir.toString(),
                        "-c",
                        dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern P50 = Pattern.compile("\\s50%\\s+(\\S+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+(\\S+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    private static WrkResult wrk(String url, Path script) throws Exception {
        run(wrkCommand(url, script, WARMUP));
        String out = run(wrkCommand(url, script, RUN));
        Matcher rps = RPS.matcher(out);
        Matcher p50 = P50.matcher(out);
        Matcher p99 = P99.matcher(out);
        Matcher errors = NON_2XX.matcher(out);
        assertThat(rps.find() && p50.find() && p99.find()).as(out).isTrue();
        return new WrkResult(
                Double.parseDouble(rps.group(1)),
                p50.group(1),
                p99.group(1),
                errors.find() ? Long.parseLong(errors.group(1)) : 0);
    }

    private static List<String> wrkCommand(String url, Path script, Duration duration) {
        List<String> command =
                new ArrayList<>(List.of("wrk", "-t2", "-c32", "-d" + duration.toSeconds() + "s", "--latency"));
        if (script != null) {
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        return command;
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    /** Sends at {@link #RATE}/s on a fixed schedule; latency counts from the intended send time. */
    private static FixedRate.Result fixedRate(HttpClient client, HttpRequest request) throws Exception {
        sendAtRate(client, request, (int) (RATE * WARMUP.toSeconds()));
        return sendAtRate(client, request, (int) (RATE * RUN.toSeconds()));
    }

    private static FixedRate.Result sendAtRate(HttpClient client, HttpRequest request, int count) throws Exception {
        return FixedRate.send(client, request, RATE, count);
    }

    private static String report(
            Map<String, List<WrkResult>> throughput,
            Map<String, FixedRate.Result> fixed,
            String cold,
            double dropped,
            double rowsPerCall,
            double droppedAtFixedRate) {
        StringBuilder sb = new StringBuilder();
        sb.append("### HTTP throughput: POST /predict vs /q/health/live vs nginx\n\n");
        sb.append("wrk 4.1.0, 2 threads, 32 connections, ")
                .append(RUN.toSeconds())
                .append(" s per run after a ")
                .append(WARMUP.toSeconds())
                .append(" s warm-up, ")
                .append(PASSES)
                .append(" passes in rotation (after ")
                .append(JIT_WARMUP.toSeconds())
                .append(" s of /predict load to let the JIT compile), all on 127.0.0.1.\n\n");
        sb.append("| target |");
        for (int pass = 1; pass <= PASSES; pass++) {
            sb.append(" req/s pass ").append(pass).append(" |");
        }
        sb.append(" p50 | p99 | non-2xx |\n| --- |")
                .append(" ---: |".repeat(PASSES + 3))
                .append("\n");
        double nginx = mean(throughput.get("nginx static page"));
        double health = mean(throughput.get("/q/health/live"));
        double predict = mean(throughput.get("POST /predict (1 record)"));
        throughput.forEach((name, runs) -> {
            sb.append("| ").append(name).append(" |");
            runs.forEach(r -> sb.append(String.format(Locale.ROOT, " %,.0f |", r.requestsPerSecond())));
            WrkResult last = runs.getLast();
            sb.append(String.format(
                    Locale.ROOT,
                    " %s | %s | %d |%n",
                    last.p50(),
                    last.p99(),
                    runs.stream().mapToLong(WrkResult::errors).sum()));
        });
        sb.append(String.format(
                Locale.ROOT,
                "%n**/predict = %.3fx nginx** (mean of the passes: %,.0f vs %,.0f req/s; goal >= 0.10x), "
                        + "%.3fx the service's own /q/health/live. Rows per XGBoost call during the passes: %.1f "
                        + "(requests of one event-loop turn scored together). Prediction-log records dropped during the "
                        + "passes (queue full: the writer shares the 2 saturated cores): %.0f.%n%n",
                predict / nginx,
                predict,
                nginx,
                predict / health,
                rowsPerCall,
                dropped));
        sb.append("### Latency at a fixed ").append(RATE).append(" requests/s\n\n");
        sb.append("A fixed-schedule generator (JDK HttpClient, HTTP/1.1) sends one request every millisecond for ")
                .append(RUN.toSeconds())
                .append(" s after a ")
                .append(WARMUP.toSeconds())
                .append(" s warm-up and measures each latency from the request's intended send time, so a stall is "
                        + "counted for every request it delays (no coordinated omission). Milliseconds.\n\n");
        sb.append(
                "| target | achieved req/s | p50 | p90 | p99 | p99.9 | max | errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        fixed.forEach((name, r) -> sb.append(String.format(
                Locale.ROOT,
                "| %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %d |%n",
                name,
                r.achievedRate(),
                r.p50(),
                r.p90(),
                r.p99(),
                r.p999(),
                r.max(),
                r.errors())));
        sb.append(String.format(
                Locale.ROOT, "%nPrediction-log records dropped at this rate: %.0f.%n", droppedAtFixedRate));
        sb.append("\n### Cold load of a model over HTTP\n\nThe flights model is dropped from the cache before each of "
                        + "10 rounds; milliseconds.\n\n| request | p50 | max |\n| --- | ---: | ---: |\n")
                .append(cold);
        return sb.toString();
    }

    private static double mean(List<WrkResult> runs) {
        return runs.stream().mapToDouble(WrkResult::requestsPerSecond).average().orElseThrow();
    }
}
