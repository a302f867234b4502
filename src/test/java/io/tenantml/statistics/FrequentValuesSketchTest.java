package io.tenantml.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrequentValuesSketchTest {

    private static final long SEED = 20261129L;

    /** Zipf-like: value i drawn with probability proportional to 1 / (i + 1)^1.2 over 100,000 values. */
    static String[] zipf(int n, long seed) {
        int values = 100_000;
        double[] cumulative = new double[values];
        double sum = 0;
        for (int i = 0; i < values; i++) {
            sum += 1 / Math.pow(i + 1, 1.2);
            cumulative[i] = sum;
        }
        SplittableRandom random = new SplittableRandom(seed);
        String[] out = new String[n];
        for (int j = 0; j < n; j++) {
            double u = random.nextDouble() * sum;
            int lo = 0;
            int hi = values - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            out[j] = "v" + lo;
        }
        return out;
    }

    @Test
    void shouldFindTheHeavyHittersWithCountsWithinTheirBounds() {
        long seed = SEED;
        String[] stream = zipf(1_000_000, seed);
        FrequentValuesSketch sketch = new FrequentValuesSketch();
        for (String s : stream) {
            sketch.add(s);
        }
        assertFindsHeavyHitters(sketch, counts(stream), "seed " + seed);
    }

    @Test
    void shouldFindTheHeavyHittersOfTheWholeWhenHourlyPartsAreMerged() {
        long seed = SEED + 1;
        String[] stream = zipf(600_000, seed);
        FrequentValuesSketch day = new FrequentValuesSketch();
        for (int hour = 0; hour < 24; hour++) {
            FrequentValuesSketch part = new FrequentValuesSketch();
            for (int i = hour * 25_000; i < (hour + 1) * 25_000; i++) {
                part.add(stream[i]);
            }
            day.merge(FrequentValuesSketch.fromBytes(part.toBytes()));
        }
        assertThat(day.total()).isEqualTo(600_000);
        assertFindsHeavyHitters(day, counts(stream), "24 merged hours, seed " + seed);
    }

    @Test
    void shouldCountExactlyWhileFewValuesAreSeen() {
        FrequentValuesSketch sketch = new FrequentValuesSketch(64);
        for (int i = 0; i < 40; i++) {
            sketch.add("v" + i, i + 1);
        }
        assertThat(sketch.maximumError()).isZero();
        assertThat(sketch.mostFrequent(2))
                .containsExactly(new ValueFrequency("v39", 40, 40, 40), new ValueFrequency("v38", 39, 39, 39));
        assertThat(sketch.frequency("v0").isExact()).isTrue();
        assertThat(sketch.frequency("absent")).isEqualTo(new ValueFrequency("absent", 0, 0, 0));
    }

    @Test
    void shouldAnswerIdenticallyAfterARoundTripThroughBytes() {
        FrequentValuesSketch sketch = new FrequentValuesSketch();
        for (String s : zipf(200_000, SEED + 2)) {
            sketch.add(s);
        }
        byte[] bytes = sketch.toBytes();
        FrequentValuesSketch read = FrequentValuesSketch.fromBytes(bytes);
        assertThat(read.toBytes()).isEqualTo(bytes);
        assertThat(read.mostFrequent(1_000)).isEqualTo(sketch.mostFrequent(1_000));
        assertThat(read.total()).isEqualTo(sketch.total());
        assertThat(read.maximumError()).isEqualTo(sketch.maximumError());
        assertThat(read.frequency("v5")).isEqualTo(sketch.frequency("v5"));
    }

    @Test
    void shouldRejectInvalidArgumentsNamingThem() {
        assertThatThrownBy(() -> new FrequentValuesSketch(1000))
                .hasMessageContaining("maxMapSize must be a power of two in [8, 67108864], was 1000");
        FrequentValuesSketch sketch = new FrequentValuesSketch();
        assertThatThrownBy(() -> sketch.add("a", 0)).hasMessageContaining("count must be > 0, was 0");
        assertThatThrownBy(() -> sketch.mostFrequent(-1)).hasMessageContaining("limit must be >= 0");
        assertThatThrownBy(() -> new ValueFrequency("a", 5, 6, 7)).hasMessageContaining("estimate must lie in");
    }

    static Map<String, Long> counts(String[] stream) {
        Map<String, Long> counts = new HashMap<>();
        for (String s : stream) {
            counts.merge(s, 1L, Long::sum);
        }
        return counts;
    }

    /**
     * The guarantee of the sketch: every true count within [lower, upper], the interval at most epsilon * total
     * wide, and so every value above epsilon * total is reported.
     */
    static void assertFindsHeavyHitters(FrequentValuesSketch sketch, Map<String, Long> truth, String context) {
        long total = truth.values().stream().mapToLong(Long::longValue).sum();
        double allowed = sketch.epsilon() * total;
        assertThat(sketch.maximumError())
                .as("%s: the sketch is past exact counting", context)
                .isPositive()
                .isLessThanOrEqualTo((long) allowed);
        List<ValueFrequency> reported = sketch.mostFrequent(Integer.MAX_VALUE);
        for (ValueFrequency f : reported) {
            long actual = truth.getOrDefault(f.value(), 0L);
            assertThat(actual).as("%s: %s", context, f).isBetween(f.lowerBound(), f.upperBound());
            assertThat((double) (f.upperBound() - f.lowerBound())).isLessThanOrEqualTo(allowed);
        }
        List<String> reportedValues =
                reported.stream().map(ValueFrequency::value).toList();
        List<String> heavy = truth.entrySet().stream()
                .filter(e -> e.getValue() > allowed)
                .map(Map.Entry::getKey)
                .toList();
        assertThat(heavy).as("%s: heavy hitters (above %.0f)", context, allowed).hasSizeGreaterThan(10);
        assertThat(reportedValues).as(context).containsAll(heavy);
        // Ordered as the truth wherever the true counts differ by more than the error: a counter is at most
        // maximumError below its true count and never above it.
        for (int i = 0; i < reported.size(); i++) {
            for (int j = i + 1; j < reported.size(); j++) {
                long earlier = truth.getOrDefault(reported.get(i).value(), 0L);
                long later = truth.getOrDefault(reported.get(j).value(), 0L);
                assertThat(later - earlier)
                        .as("%s: %s before %s", context, reported.get(i), reported.get(j))
                        .isLessThanOrEqualTo(sketch.maximumError());
            }
        }
    }
}
