package io.tenantml.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.registry.ModelVersionView;
import io.tenantml.registry.NewModelVersion;
import io.tenantml.scheduling.SpreadCron;
import io.tenantml.serving.LoadedModels;
import io.tenantml.serving.benchmark.BenchmarkStats;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.training.internal.TrainingSchedules;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The usage issue's fleet at scale on one node (acceptance 4, second half): {@code tenantml.fleet.tenants}
 * tenants (default 10,000), each with one small model of the demo's size served from the model cache and one
 * nightly schedule. Side by side in one run:
 *
 * <ul>
 *   <li>onboarding through the API (tenants/s, p50/p99);
 *   <li>{@code tenantml.fleet.trained} tenants (default 40) upload the demo's penguins and train the demo's spec
 *       through the ledger, all queued at once: the node's training throughput, from which the whole fleet's
 *       nightly retraining time on one and on N nodes follows;
 *   <li>every other tenant registers a copy of the first tenant's trained file through the registry (its own
 *       blob and row, as a training would leave them), because training 10,000 models here would take hours;
 *   <li>one nightly schedule {@code H H H(0-5) * * ?} per tenant in the clustered Quartz store: time to create
 *       them, the most fires in any minute of the night, and the scheduler threads' CPU while idle with and
 *       without them;
 *   <li>one /predict per tenant with every model cold, four clients at once (cold-load latency under
 *       concurrency), then again warm; resident memory (VmRSS: heap and native) and heap used before and after
 *       the whole fleet is in the cache.
 * </ul>
 *
 * Run: {@code ./mvnw -B test -Dtest=FleetScaleBenchmarkTest -Dtenantml.test.excluded-groups=none} (about 15 min
 * at 10,000); the report goes to {@code target/benchmarks/fleet-scale.md} and is copied into docs/benchmarks.md.
 */
@QuarkusTest
@TestProfile(FleetScaleBenchmarkTest.Fleet.class)
@Tag("benchmark")
class FleetScaleBenchmarkTest {

    public static class Fleet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tenantml.serving.cache.max-models",
                    "20000",
                    "tenantml.serving.cache.max-bytes",
                    Long.toString(16L << 30));
        }
    }

    static final int TENANTS = Integer.getInteger("tenantml.fleet.tenants", 10_000);
    static final int TRAINED = Integer.getInteger("tenantml.fleet.trained", 40);
    static final int CLIENTS = 4;
    static final String NIGHTLY = "H H H(0-5) * * ?";
    static final String RECORD = "{\"records\":[{\"Island\":\"Biscoe\",\"Beak Length (mm)\":45.2,"
            + "\"Beak Depth (mm)\":14.8,\"Flipper Length (mm)\":215,\"Body Mass (g)\":5300,\"Sex\":\"FEMALE\"}]}";
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;

    @Inject
    ModelRegistry registry;

    @Inject
    BlobStore blobs;

    @Inject
    TenantScope scope;

    @Inject
    TrainingSchedules schedules;

    @Inject
    LoadedModels loaded;

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void fleetOfSmallModelsOnOneNode() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append("Tenants: ")
                .append(TENANTS)
                .append(", trained through the ledger: ")
                .append(TRAINED)
                .append(", clients: ")
                .append(CLIENTS)
                .append(", cores: ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(", max heap: ")
                .append(Runtime.getRuntime().maxMemory() >> 20)
                .append(" MiB\n\n");

        // 1. onboarding through the API
        String prefix = "fleet" + Long.toString(System.nanoTime() % 1_000_000, 36) + "-";
        String[] ids = new String[TENANTS];
        String[] keys = new String[TENANTS];
        long[] onboardNanos = new long[TENANTS];
        long start = System.nanoTime();
        parallel(TENANTS, i -> {
            ids[i] = prefix + i;
            long t0 = System.nanoTime();
            JsonNode r = send(
                    "POST", "/api/v1/tenants", Api.OPERATOR_KEY, "{\"id\":\"" + ids[i] + "\",\"name\":\"x\"}", 201);
            onboardNanos[i] = System.nanoTime() - t0;
            keys[i] = r.path("adminApiKey").asText();
        });
        double onboardSeconds = seconds(start);

        // 2. real trainings of the demo spec, all queued at once
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
                "gate",
                Map.of("metric", "macroF1", "minImprovement", 0.0),
                "schedule",
                NIGHTLY,
                "autoPromote",
                true));
        for (int i = 0; i < TRAINED; i++) {
            Fixtures.uploadVersion(ids[i], keys[i], "penguins", "text/csv", penguins);
            Fixtures.defineModel(ids[i], keys[i], "demo", spec, true);
        }
        start = System.nanoTime();
        List<String> trainings = new ArrayList<>();
        long[] runNanos = new long[TRAINED];
        for (int i = 0; i < TRAINED; i++) {
            trainings.add(Fixtures.startTraining(ids[i], keys[i], "demo"));
        }
        for (int i = 0; i < TRAINED; i++) {
            var end = Fixtures.awaitEnd(
                    keys[i], Fixtures.trainingPath(ids[i], trainings.get(i)), Duration.ofMinutes(30), r -> {});
            assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");
            runNanos[i] = Duration.between(
                            java.time.Instant.parse(end.path("startedAt")),
                            java.time.Instant.parse(end.path("finishedAt")))
                    .toNanos();
        }
        double trainSeconds = seconds(start);
        double trainingsPerSecond = TRAINED / trainSeconds;

        // 3. the rest of the fleet: a copy of tenant 0's trained version each, through the registry
        TenantId first = new TenantId(ids[0]);
        ModelVersionView v1 =
                scope.call(first, () -> QuarkusTransaction.requiringNew().call(() -> registry.version("demo", 1)));
        byte[] file;
        try (InputStream in = scope.callChecked(
                first,
                () -> blobs.openVerified(first, artifactKey(v1), v1.artifact().sha256()))) {
            file = in.readAllBytes();
        }
        long quartzIdleBefore = quartzCpuNanos(Duration.ofSeconds(20));
        start = System.nanoTime();
        parallel(TENANTS - TRAINED, j -> {
            int i = TRAINED + j;
            TenantId t = new TenantId(ids[i]);
            scope.run(t, () -> QuarkusTransaction.requiringNew().run(() -> registry.register(copy(v1, file), true)));
        });
        double registerSeconds = seconds(start);
        start = System.nanoTime();
        int[] firesPerMinute = new int[6 * 60];
        for (int i = 0; i < TENANTS; i++) {
            String effective =
                    SpreadCron.resolve(NIGHTLY, ids[i] + "/model/demo").orElseThrow();
            String[] f = effective.split(" ");
            firesPerMinute[Integer.parseInt(f[2]) * 60 + Integer.parseInt(f[1])]++;
        }
        parallel(TENANTS - TRAINED, j -> {
            int i = TRAINED + j;
            TenantId t = new TenantId(ids[i]);
            String effective =
                    SpreadCron.resolve(NIGHTLY, ids[i] + "/model/demo").orElseThrow();
            scope.run(t, () -> QuarkusTransaction.requiringNew().run(() -> schedules.apply(t, "demo", effective)));
        });
        double scheduleSeconds = seconds(start);
        long quartzIdleAfter = quartzCpuNanos(Duration.ofSeconds(20));

        // 4. memory and cold loads: every model cold, four clients; then warm
        int cachedBefore = loaded.size();
        for (String id : ids) {
            loaded.evict(new TenantId(id));
        }
        long[] rssHeapBefore = memory();
        long[] cold = new long[TENANTS];
        start = System.nanoTime();
        parallel(TENANTS, i -> {
            long t0 = System.nanoTime();
            send("POST", "/api/v1/tenants/" + ids[i] + "/models/demo/predict", keys[i], RECORD, 200);
            cold[i] = System.nanoTime() - t0;
        });
        double coldSeconds = seconds(start);
        long[] warm = new long[TENANTS];
        parallel(TENANTS, i -> {
            long t0 = System.nanoTime();
            send("POST", "/api/v1/tenants/" + ids[i] + "/models/demo/predict", keys[i], RECORD, 200);
            warm[i] = System.nanoTime() - t0;
        });
        int cached = loaded.size();
        long[] rssHeapAfter = memory();
        assertThat(cached).as("the whole fleet in the cache").isGreaterThanOrEqualTo(TENANTS);
        // the first cold pass also pays each tenant's first credential check and alias lookup; this one evicts
        // only the models, so it measures what the cold-load goal is about: a model read, verified and loaded
        for (String id : ids) {
            loaded.evict(new TenantId(id));
        }
        long[] modelCold = new long[TENANTS];
        parallel(TENANTS, i -> {
            long t0 = System.nanoTime();
            send("POST", "/api/v1/tenants/" + ids[i] + "/models/demo/predict", keys[i], RECORD, 200);
            modelCold[i] = System.nanoTime() - t0;
        });

        // report
        double perModelRssKiB = (rssHeapAfter[0] - rssHeapBefore[0]) / 1024.0 / TENANTS;
        double perModelHeapKiB = (rssHeapAfter[1] - rssHeapBefore[1]) / 1024.0 / TENANTS;
        int busiestMinute = Arrays.stream(firesPerMinute).max().orElse(0);
        report.append("| measurement | value |\n| --- | ---: |\n");
        row(report, "onboarding through the API, tenants/s (" + CLIENTS + " clients)", TENANTS / onboardSeconds);
        row(report, "onboarding p50 / p99, ms", pct(onboardNanos, 50), pct(onboardNanos, 99));
        row(
                report,
                "trainings of the demo spec through the ledger, " + TRAINED + " queued at once: wall s",
                trainSeconds);
        row(
                report,
                "one training's run (started to finished), p50 / max s",
                pct(runNanos, 50) / 1000,
                pct(runNanos, 100) / 1000);
        row(report, "node training throughput, trainings/s", trainingsPerSecond);
        row(report, "whole fleet's nightly retraining on 1 node, hours", TENANTS / trainingsPerSecond / 3600);
        for (int nodes : new int[] {2, 4, 8}) {
            row(
                    report,
                    "... on " + nodes + " nodes (if the database keeps up), hours",
                    TENANTS / trainingsPerSecond / 3600 / nodes);
        }
        row(report, "model file bytes (demo size)", file.length);
        row(report, "registering a copied version per tenant, versions/s", (TENANTS - TRAINED) / registerSeconds);
        row(
                report,
                "creating " + (TENANTS - TRAINED) + " nightly Quartz triggers, triggers/s",
                (TENANTS - TRAINED) / scheduleSeconds);
        row(report, "most schedule fires in one minute of the night (" + TENANTS + " over 360 minutes)", busiestMinute);
        row(report, "Quartz threads' CPU while idle, " + TRAINED + " triggers: ms per s", quartzIdleBefore / 1e6 / 20);
        row(report, "Quartz threads' CPU while idle, " + TENANTS + " triggers: ms per s", quartzIdleAfter / 1e6 / 20);
        row(report, "models cached before the cold pass / after", cachedBefore, cached);
        row(
                report,
                "first /predict of each tenant (credential, alias and model cold) under " + CLIENTS
                        + " clients, p50 / p99 ms",
                pct(cold, 50),
                pct(cold, 99));
        row(
                report,
                "cold-load /predict (model evicted, credential and alias cached) under " + CLIENTS
                        + " clients, p50 / p99 ms",
                pct(modelCold, 50),
                pct(modelCold, 99));
        row(report, "warm /predict under " + CLIENTS + " clients, p50 / p99 ms", pct(warm, 50), pct(warm, 99));
        row(report, "cold pass over the fleet, s", coldSeconds);
        row(
                report,
                "resident memory (VmRSS) with no model cached / with the fleet cached, MiB",
                rssHeapBefore[0] >> 20,
                rssHeapAfter[0] >> 20);
        row(
                report,
                "heap used after GC with no model cached / with the fleet cached, MiB",
                rssHeapBefore[1] >> 20,
                rssHeapAfter[1] >> 20);
        row(report, "per cached model: resident KiB (heap + native) / heap KiB", perModelRssKiB, perModelHeapKiB);
        row(report, "models that fit in 4 GiB of resident memory at that rate", (4L << 20) / perModelRssKiB);
        BenchmarkStats.write("fleet-scale", report.toString());
        System.out.println(report);
    }

    private static BlobKey artifactKey(ModelVersionView v) {
        return BlobKey.of("models", v.model(), "training-" + v.trainingId() + ".ubj");
    }

    private static NewModelVersion copy(ModelVersionView v, byte[] file) {
        return new NewModelVersion(
                v.model(),
                UUID.randomUUID(),
                true,
                "fleet benchmark: copy of one trained demo model",
                v.dataset(),
                v.objective(),
                v.params(),
                v.seed(),
                v.metrics(),
                v.baseline(),
                v.gate(),
                v.featureImportance(),
                v.transform(),
                v.target(),
                v.provenance(),
                file,
                v.warnings());
    }

    private JsonNode send(String method, String path, String key, String body, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.toURI().resolve(path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(60))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }

    interface Task {
        void run(int i) throws Exception;
    }

    private static void parallel(int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    task.run(i);
                }
                return null;
            }));
        }
        try {
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** CPU time of the Quartz scheduler threads (the trigger-acquisition loop and its workers) over a quiet period. */
    private static long quartzCpuNanos(Duration period) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> before = quartzThreadCpu(threads);
        Thread.sleep(period.toMillis()); // measuring an idle period: there is nothing to await
        Map<Long, Long> after = quartzThreadCpu(threads);
        long total = 0;
        for (var e : after.entrySet()) {
            total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    private static Map<Long, Long> quartzThreadCpu(ThreadMXBean threads) {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("Quartz")) {
                cpu.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return cpu;
    }

    /** VmRSS and heap used, in bytes, after a full collection. */
    private static long[] memory() throws Exception {
        System.gc();
        System.gc();
        long rssKiB = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst()
                .orElseThrow();
        Runtime rt = Runtime.getRuntime();
        return new long[] {rssKiB * 1024, rt.totalMemory() - rt.freeMemory()};
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double pct(long[] nanos, double p) {
        return BenchmarkStats.percentileMicros(nanos, p) / 1000.0;
    }

    private static void row(StringBuilder report, String what, Number... values) {
        report.append("| ").append(what).append(" | ");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                report.append(" / ");
            }
            Number v = values[i];
            report.append(v instanceof Double d ? String.format("%.2f", d) : v.toString());
        }
        report.append(" |\n");
    }
}
