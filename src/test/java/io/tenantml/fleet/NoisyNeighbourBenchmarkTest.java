package io.tenantml.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.serving.benchmark.BenchmarkStats;
import io.tenantml.serving.benchmark.FixedRate;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The usage issue's noisy neighbour (acceptance 4, first half), side by side in one run. Tenant B sends /predict
 * at a fixed 200 requests/s (latency from the intended send time) three times: alone; while tenant A floods
 * /predict from {@link #FLOODERS} closed-loop clients with no rate limit in its plan; and while A floods the same
 * way under a plan of {@link #A_RATE} requests/s per credential. Meanwhile A queues {@link #A_TRAININGS} long
 * trainings and B then queues one: B's training must start within its fair share, i.e. after at most the one
 * training of A that holds the node's slot, not after A's whole queue.
 *
 * <p>Run: {@code ./mvnw -B test -Dtest=NoisyNeighbourBenchmarkTest -Dtenantml.test.excluded-groups=none}
 * (about 5 min); the report goes to {@code target/benchmarks/noisy-neighbour.md}.
 */
@QuarkusTest
@Tag("benchmark")
class NoisyNeighbourBenchmarkTest {

    static final int B_RATE = 200;
    static final Duration PHASE = Duration.ofSeconds(15);
    static final int FLOODERS = 8;
    static final int A_RATE = 500;
    static final int A_TRAININGS = 4;
    static final String RECORD = "{\"records\":[{\"Island\":\"Biscoe\",\"Beak Length (mm)\":45.2,"
            + "\"Beak Depth (mm)\":14.8,\"Flipper Length (mm)\":215,\"Body Mass (g)\":5300,\"Sex\":\"FEMALE\"}]}";

    @TestHTTPResource("/")
    URL base;

    @Test
    void tenantBStaysFastAndGetsItsTrainingSlotWhileTenantAFloods() throws Exception {
        String a = Api.uniqueTenant("noisy-a");
        String b = Api.uniqueTenant("quiet-b");
        String aKey = Api.createTenant(a);
        String bKey = Api.createTenant(b);
        byte[] penguins = Files.readAllBytes(Path.of("tenants/demo/penguins.csv"));
        Map<String, Object> spec = new HashMap<>(Map.of(
                "dataset",
                "penguins",
                "target",
                "Species",
                "objective",
                "multiclass",
                "params",
                Map.of("numRounds", 100, "earlyStoppingRounds", 10, "seed", 42),
                "split",
                Map.of("method", "random", "holdoutFraction", 0.2),
                "autoPromote",
                true));
        for (String[] t : List.of(new String[] {a, aKey}, new String[] {b, bKey})) {
            Fixtures.uploadVersion(t[0], t[1], "penguins", "text/csv", penguins);
            Fixtures.defineModel(t[0], t[1], "demo", spec, true);
            Fixtures.train(t[0], t[1], "demo");
        }
        // A's long trainings: many rounds, no early stop
        Map<String, Object> slow = new HashMap<>(spec);
        slow.put("params", Map.of("numRounds", 1500, "earlyStoppingRounds", 0, "maxDepth", 8, "seed", 1));
        for (int i = 0; i < A_TRAININGS; i++) {
            Fixtures.defineModel(a, aKey, "slow" + i, slow, false);
        }

        HttpClient client = HttpClient.newHttpClient();
        HttpRequest bPredict = predict(b, bKey);
        int count = (int) (B_RATE * PHASE.toSeconds());
        FixedRate.send(client, bPredict, B_RATE, B_RATE * 3); // warm-up
        Map<String, FixedRate.Result> phases = new LinkedHashMap<>();
        Map<String, long[]> flood = new LinkedHashMap<>();
        phases.put("B alone", FixedRate.send(client, bPredict, B_RATE, count));

        long[] unlimited = flood(
                predict(a, aKey),
                () -> phases.put(
                        "B while A floods, A without a rate limit", FixedRate.send(client, bPredict, B_RATE, count)));
        flood.put("A without a rate limit", unlimited);

        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("limits", Map.of("predictRequestsPerSecond", A_RATE)))
                .put("/api/v1/tenants/" + a + "/plan")
                .then()
                .statusCode(200);
        // trainings queued now run during the limited flood: A's first, then B's
        List<String> aTrainings = new ArrayList<>();
        for (int i = 0; i < A_TRAININGS; i++) {
            aTrainings.add(Fixtures.startTraining(a, aKey, "slow" + i));
        }
        String bTraining = Fixtures.startTraining(b, bKey, "demo");
        long[] limited = flood(
                predict(a, aKey),
                () -> phases.put(
                        "B while A floods, A limited to " + A_RATE + "/s",
                        FixedRate.send(client, bPredict, B_RATE, count)));
        flood.put("A limited to " + A_RATE + "/s", limited);

        Response bEnd = Fixtures.awaitEnd(bKey, Fixtures.trainingPath(b, bTraining), Duration.ofMinutes(30), r -> {});
        assertThat(bEnd.<String>path("status")).as(bEnd.asString()).isEqualTo("succeeded");
        Duration bWait = between(bEnd.path("createdAt"), bEnd.path("startedAt"));
        List<Duration> aRuns = new ArrayList<>();
        int aDoneBeforeB = 0;
        for (String id : aTrainings) {
            Response end = Fixtures.awaitEnd(aKey, Fixtures.trainingPath(a, id), Duration.ofMinutes(30), r -> {});
            aRuns.add(between(end.path("startedAt"), end.path("finishedAt")));
            if (Instant.parse(end.<String>path("startedAt")).isBefore(Instant.parse(bEnd.path("startedAt")))) {
                aDoneBeforeB++;
            }
        }

        StringBuilder r = new StringBuilder();
        r.append("B at a fixed ")
                .append(B_RATE)
                .append(" requests/s for ")
                .append(PHASE.toSeconds())
                .append(" s per phase; A floods from ")
                .append(FLOODERS)
                .append(" closed-loop clients; milliseconds.\n\n");
        r.append(
                "| B's /predict | p50 | p90 | p99 | max | errors | p99 / alone |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        double quiet = phases.get("B alone").p99();
        phases.forEach((name, x) -> r.append(String.format(
                "| %s | %.2f | %.2f | %.2f | %.2f | %d | %.2f |%n",
                name, x.p50(), x.p90(), x.p99(), x.max(), x.errors(), x.p99() / quiet)));
        r.append("\n| A's flood | 200 answers/s | 429 answers/s |\n| --- | ---: | ---: |\n");
        flood.forEach((name, x) -> r.append(String.format(
                "| %s | %.0f | %.0f |%n", name, x[0] / (double) PHASE.toSeconds(), x[1] / (double) PHASE.toSeconds())));
        r.append(String.format(
                "%nTrainings (node slots: training=1): A queued %d long trainings, then B one. B waited %.1f s from"
                        + " queued to started; A's trainings ran %s s each; %d of A's started before B's.%n",
                A_TRAININGS,
                bWait.toMillis() / 1000.0,
                aRuns.stream()
                        .map(d -> String.format("%.1f", d.toMillis() / 1000.0))
                        .toList(),
                aDoneBeforeB));
        BenchmarkStats.write("noisy-neighbour", r.toString());
        System.out.println(r);
        assertThat(aDoneBeforeB)
                .as("B's training waits for at most the run holding the slot")
                .isLessThanOrEqualTo(1);
    }

    private HttpRequest predict(String tenant, String key) throws Exception {
        return HttpRequest.newBuilder(base.toURI().resolve("/api/v1/tenants/" + tenant + "/models/demo/predict"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RECORD))
                .build();
    }

    /** Runs {@code during} while A's clients send back to back; returns A's 200 and 429 answer counts. */
    private static long[] flood(HttpRequest request, ThrowingRunnable during) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ok = new AtomicLong();
        AtomicLong limited = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(FLOODERS);
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < FLOODERS; i++) {
            pool.submit(() -> {
                while (!stop.get()) {
                    int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    (status == 200 ? ok : limited).incrementAndGet();
                }
                return null;
            });
        }
        try {
            during.run();
        } finally {
            stop.set(true);
            pool.shutdown();
            pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        return new long[] {ok.get(), limited.get()};
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static Duration between(String from, String to) {
        return Duration.between(Instant.parse(from), Instant.parse(to));
    }
}
