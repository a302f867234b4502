package io.tenantml.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.dataset.bench.BenchmarkDocs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What deterministic compaction costs: {@link QuantileSketch#add} (batches of 128 fed to KLL under the shared
 * generator's monitor, reseeded per batch) against DataSketches' {@code KllDoublesSketch.update} called directly,
 * which is what {@code QuantileSketch.add} did before. Shaped like the window job's numeric work: 14 sketches
 * (k = 200) per thread, 250,000 values each, on one thread and on two threads side by side (the job profiles two
 * parts at once, and the two then share one lock). Both variants run in the same JVM, alternating, after warm-up;
 * medians of 5 rounds. Writes the section "Deterministic KLL compaction" of docs/benchmarks.md. Run:
 * {@code ./mvnw -B test -Dtest=QuantileSketchBenchmark -Dtenantml.test.excluded-groups=none}
 */
@Tag("benchmark")
class QuantileSketchBenchmark {

    private static final long SEED = 20261130L;
    private static final int FEATURES = 14;
    private static final int VALUES = 250_000;
    private static final int WARMUP = 2;
    private static final int ROUNDS = 5;

    private interface Variant {
        /** Adds every value to each of the thread's sketches; returns a checksum so nothing is optimised away. */
        long run(double[] values);
    }

    private static final Variant DIRECT = values -> {
        long n = 0;
        for (int f = 0; f < FEATURES; f++) {
            KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(QuantileSketch.DEFAULT_K);
            double shift = f;
            for (double v : values) {
                kll.update(v + shift);
            }
            n += kll.getNumRetained();
        }
        return n;
    };

    private static final Variant DETERMINISTIC = values -> {
        long n = 0;
        for (int f = 0; f < FEATURES; f++) {
            QuantileSketch sketch = new QuantileSketch(QuantileSketch.DEFAULT_K);
            double shift = f;
            for (double v : values) {
                sketch.add(v + shift);
            }
            n += sketch.count() > 0 && !sketch.isExact() ? 1 : 0;
        }
        return n;
    };

    private static double seconds(ExecutorService pool, Variant variant, double[][] perThread, int threads)
            throws Exception {
        long start = System.nanoTime();
        List<Future<Long>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            double[] values = perThread[t];
            futures.add(pool.submit(() -> variant.run(values)));
        }
        long sum = 0;
        for (Future<Long> f : futures) {
            sum += f.get();
        }
        assertThat(sum).isPositive();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] xs) {
        double[] copy = xs.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }

    @Test
    void shouldMeasureDeterministicCompactionAgainstDirectKllUpdatesSideBySide() throws Exception {
        double[][] perThread = new double[2][VALUES];
        SplittableRandom random = new SplittableRandom(SEED);
        for (double[] values : perThread) {
            for (int i = 0; i < VALUES; i++) {
                values[i] = random.nextGaussian();
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "kll-benchmark");
            t.setDaemon(true);
            return t;
        });
        StringBuilder rows = new StringBuilder();
        try {
            for (int threads = 1; threads <= 2; threads++) {
                double[] direct = new double[ROUNDS];
                double[] deterministic = new double[ROUNDS];
                for (int round = -WARMUP; round < ROUNDS; round++) {
                    // alternate which variant goes first, so neither always runs on a warmer machine
                    boolean directFirst = Math.floorMod(round, 2) == 0;
                    double a = directFirst ? seconds(pool, DIRECT, perThread, threads) : 0;
                    double b = seconds(pool, DETERMINISTIC, perThread, threads);
                    if (!directFirst) {
                        a = seconds(pool, DIRECT, perThread, threads);
                    }
                    if (round >= 0) {
                        direct[round] = a;
                        deterministic[round] = b;
                    }
                }
                double values = (double) threads * FEATURES * VALUES;
                rows.append(String.format(
                        Locale.ROOT,
                        "| %d | %.0f | %.3f | %.3f | %.2f | %.1f | %.1f |%n",
                        threads,
                        values,
                        median(direct),
                        median(deterministic),
                        median(deterministic) / median(direct),
                        values / median(direct) / 1e6,
                        values / median(deterministic) / 1e6));
            }
        } finally {
            pool.shutdownNow();
        }
        String results = String.format(
                Locale.ROOT,
                """
                Measured %s on the shared 2-core machine (load average %.1f at the end: other sessions were
                running; the two variants alternate within each round, so both saw the same load). Seed %d,
                standard normal values; medians of %d rounds after %d warm-up rounds.

                | threads | values | direct KLL update s | QuantileSketch.add s | ratio | direct M values/s | QuantileSketch M values/s |
                | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
                %s""",
                java.time.LocalDate.now(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(),
                SEED,
                ROUNDS,
                WARMUP,
                rows);
        System.out.println(results);
        BenchmarkDocs.replaceSection("deterministic-kll", results);
    }
}
