package io.tenantml.serving.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Percentiles of recorded latencies and a place for a benchmark's markdown report. */
public final class BenchmarkStats {

    private BenchmarkStats() {}

    /** The p-th percentile (0..100) of nanosecond samples, in microseconds (nearest rank). */
    public static double percentileMicros(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1_000.0;
    }

    /** Writes the report under target/benchmarks (pasted into docs/benchmarks.md by whoever ran it). */
    public static void write(String name, String markdown) {
        try {
            Path dir = Path.of("target", "benchmarks");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".md"), markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(markdown);
    }
}
