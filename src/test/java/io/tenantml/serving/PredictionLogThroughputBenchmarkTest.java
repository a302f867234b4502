package io.tenantml.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What logging for monitoring costs /predict: two models trained alike on flights-20k, one logging every
 * prediction (sample rate 1, the default) and one logging one prediction in a million (sample rate 1e-6: as good
 * as off, the log-settings endpoint takes no 0), loaded in alternating passes in one run so that both see the
 * same machine. The load is generated in this JVM (no wrk on this machine): {@link #CLIENTS} threads, each sending
 * one-record requests back to back over HTTP/1.1 keep-alive. Goal: logged ≥ 0.90 × unlogged.
 */
@QuarkusTest
@Tag("benchmark")
class PredictionLogThroughputBenchmarkTest {

    private static final int CLIENTS = 16;
    private static final int PASSES = 3;
    private static final Duration RUN = Duration.ofSeconds(10);
    private static final Duration WARMUP = Duration.ofSeconds(15);
    private static final String BODY = "{\"records\":[{\"date\":\"2001-01-05T18:30:00Z\",\"distance\":1200,"
            + "\"origin\":\"ORD\",\"destination\":\"LAX\"}]}";

    @TestHTTPResource("/")
    URL root;

    @Test
    void loggingEveryPredictionAgainstLoggingNone() throws Exception {
        String tenant = Api.uniqueTenant("logbench");
        String admin = Api.createTenant(tenant);
        ServingFixtures.upload(tenant, admin, "flights", "flights-20k.json");
        Map<String, Object> spec = new HashMap<>(ServingFixtures.FLIGHTS);
        spec.put("params", Map.of("numRounds", 100, "maxDepth", 6, "eta", 0.1, "seed", ServingFixtures.SEED));
        for (String model : List.of("logged", "unlogged")) {
            ServingFixtures.putModel(tenant, admin, model, spec, true);
            ServingFixtures.train(tenant, admin, model);
        }
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("sampleRate", 1e-6))
                .put("/api/v1/tenants/" + tenant + "/models/unlogged/monitoring/log-settings")
                .then()
                .statusCode(200);
        String key = Api.createKey(tenant, admin, "integration");
        String base = root.toString().replaceAll("/$", "") + "/api/v1/tenants/" + tenant + "/models/";

        load(base + "logged/predict", key, WARMUP);
        load(base + "unlogged/predict", key, WARMUP);
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (int pass = 0; pass < PASSES; pass++) {
            for (String model : List.of("logged", "unlogged")) {
                rates.computeIfAbsent(model, k -> new ArrayList<>()).add(load(base + model + "/predict", key, RUN));
            }
        }
        double logged = rates.get("logged").stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElseThrow();
        double unlogged = rates.get("unlogged").stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElseThrow();
        System.out.printf(
                Locale.ROOT,
                "BENCHMARK prediction log: logged %s req/s, unlogged %s req/s, ratio %.3f (goal >= 0.90)%n",
                rates.get("logged"),
                rates.get("unlogged"),
                logged / unlogged);
        assertThat(logged).isPositive();
    }

    /** Requests per second answered 200 by {@link #CLIENTS} back-to-back clients for {@code duration}. */
    private static double load(String url, String key, Duration duration) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                            (status == 200 ? ok : failed).incrementAndGet();
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(failed.get()).as("failed requests to " + url).isZero();
            return Math.round(ok.get() / seconds);
        } finally {
            pool.shutdownNow();
            client.close();
        }
    }
}
