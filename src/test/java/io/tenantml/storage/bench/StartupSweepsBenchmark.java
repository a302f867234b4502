package io.tenantml.storage.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.dataset.bench.BenchmarkDocs;
import io.tenantml.storage.StartupSweeps;
import io.tenantml.storage.StorageConfig;
import io.tenantml.testing.TestDatabase;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sweep after start of the data directory on a large tree ({@link LargeDataDir}), timed side by side with one
 * plain walk of the same tree, in the same run. Run: see docs/benchmarks.md, section "Start-up sweeps of the
 * data directory".
 */
@QuarkusTest
@Tag("benchmark")
class StartupSweepsBenchmark {

    static final int ROUNDS = 5;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Inject
    StorageConfig storage;

    @Inject
    StartupSweeps sweeps;

    @Test
    void sweepsOfALargeDataDirectoryAgainstOneWalk() throws Exception {
        Path root = storage.dataDir().resolve("blobs");
        long laid;
        long t0 = System.nanoTime();
        try (Connection owner = TestDatabase.ownerConnection(jdbcUrl)) {
            laid = LargeDataDir.lay(root, owner);
        }
        double laySeconds = (System.nanoTime() - t0) / 1e9;
        long total = LargeDataDir.countFiles(root);

        Map<String, List<Double>> ms = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            LargeDataDir.Leftovers leftovers = LargeDataDir.leftovers(root);
            time(ms, "walk (Files.walk, count regular files)", () -> LargeDataDir.countFiles(root));
            time(
                    ms,
                    "after-start sweep (one walk per tenant, every part)",
                    () -> sweeps.start().get(10, TimeUnit.MINUTES));
            leftovers.assertSwept();
            leftovers.removeKept();
        }
        assertThat(LargeDataDir.countFiles(root)).isEqualTo(total);

        double walk = median(ms.values().iterator().next());
        StringBuilder table =
                new StringBuilder("| step | median ms | min ms | max ms | x walk |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Double>> e : ms.entrySet()) {
            double median = median(e.getValue());
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %.0f | %.0f | %.0f | %.1f |\n",
                    e.getKey(),
                    median,
                    e.getValue().stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    e.getValue().stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                    median / walk));
        }
        String report = String.format(
                Locale.ROOT,
                """
                Run on %s, JDK %s, %d cores, in the test JVM (PostgreSQL on the same machine). Tree: %,d files laid in %.1f s
                (%,d tenants; each %d datasets x %d versions with a quarantine file every %d, %d models x %d versions,
                %d batch results per model, %d index builds of 2 files), %,d dataset version rows; per round %d dead
                uploads' rows files, %d old and %d fresh .partial files, %d deleted tenants of %d files. %d rounds.

                %s""",
                java.time.LocalDate.now(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                laid,
                laySeconds,
                LargeDataDir.TENANTS,
                LargeDataDir.DATASETS,
                LargeDataDir.VERSIONS,
                LargeDataDir.QUARANTINE_EVERY,
                LargeDataDir.MODELS,
                LargeDataDir.MODEL_VERSIONS,
                LargeDataDir.BATCHES_PER_MODEL,
                LargeDataDir.INDEX_BUILDS,
                LargeDataDir.TENANTS * LargeDataDir.DATASETS * LargeDataDir.VERSIONS,
                LargeDataDir.TENANTS_WITH_LEFTOVERS,
                LargeDataDir.TENANTS_WITH_LEFTOVERS,
                LargeDataDir.TENANTS_WITH_LEFTOVERS,
                LargeDataDir.ORPHAN_TENANTS,
                LargeDataDir.FILES_PER_ORPHAN,
                ROUNDS,
                table);
        System.out.println(report);
        BenchmarkDocs.replaceSection("startup-sweeps", report);
    }

    private static void time(Map<String, List<Double>> ms, String step, Step work) throws Exception {
        long t = System.nanoTime();
        work.run();
        ms.computeIfAbsent(step, s -> new ArrayList<>()).add((System.nanoTime() - t) / 1e6);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }
}
