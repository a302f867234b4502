package io.tenantml.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.statistics.Samples.Distribution;
import io.tenantml.statistics.Samples.Sorted;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class QuantileSketchTest {

    private static final long SEED = 20261129L;

    @ParameterizedTest
    @EnumSource(Distribution.class)
    void shouldKeepRankErrorsWithinTheDocumentedBound(Distribution distribution) {
        long seed = SEED + distribution.ordinal();
        double[] values = distribution.sample(1_000_000, seed);
        QuantileSketch sketch = sketchOf(values, QuantileSketch.DEFAULT_K);

        assertWithinBound(sketch, Sorted.of(values), distribution + ", seed " + seed);
        // DataSketches' 99%-confidence figure for k = 200; the bound the javadoc promises.
        assertThat(sketch.normalizedRankError()).isBetween(0.013, 0.0135);
    }

    @Test
    void shouldKeepRankErrorsWithinTheBoundOverMillionsOfValuesAndASmallerK() {
        long seed = SEED + 10;
        double[] values = Distribution.LOGNORMAL.sample(3_000_000, seed);
        QuantileSketch sketch = sketchOf(values, 64);

        assertThat(sketch.k()).isEqualTo(64);
        // A smaller k, a looser bound: the assertions below use the sketch's own.
        assertThat(sketch.normalizedRankError()).isGreaterThan(new QuantileSketch().normalizedRankError());
        assertWithinBound(sketch, Sorted.of(values), "lognormal, k 64, seed " + seed);
    }

    @Test
    void shouldBeExactWhileEveryValueIsKept() {
        double[] values = Distribution.NORMAL.sample(150, SEED);
        Sorted sorted = Sorted.of(values);
        QuantileSketch sketch = sketchOf(values, QuantileSketch.DEFAULT_K);

        for (double rank : Samples.RANKS) {
            assertThat(sketch.quantile(rank)).as("rank %s", rank).isEqualTo(sorted.quantile(rank));
        }
        for (double v : values) {
            assertThat(sketch.rank(v)).isEqualTo(sorted.atOrBelow(v));
            assertThat(sketch.rank(v, Intervals.LEFT_CLOSED)).isEqualTo(sorted.below(v));
        }
        assertThat(sketch.min()).isEqualTo(sorted.values()[0]);
        assertThat(sketch.max()).isEqualTo(sorted.values()[149]);
        assertThat(sketch.quantile(0)).isEqualTo(sketch.min());
        assertThat(sketch.quantile(1)).isEqualTo(sketch.max());
    }

    @Test
    void shouldExposeItsStepFunctionWithWeightsThatSumToTheCount() {
        long seed = SEED + 20;
        QuantileSketch small = sketchOf(new double[] {3, 1, 2, 2}, QuantileSketch.DEFAULT_K);
        WeightedValues exact = small.weightedValues();
        assertThat(small.isExact()).isTrue();
        assertThat(exact.values()).containsExactly(1, 2, 2, 3);
        assertThat(Arrays.stream(exact.weights()).sum()).isEqualTo(4);

        double[] values = Distribution.NORMAL.sample(100_000, seed);
        QuantileSketch large = sketchOf(values, QuantileSketch.DEFAULT_K);
        WeightedValues compacted = large.weightedValues();
        assertThat(large.isExact()).as("seed %d", seed).isFalse();
        assertThat(compacted.values().length).isLessThan(values.length / 10);
        assertThat(Arrays.stream(compacted.weights()).sum()).isEqualTo(values.length);
        for (int i = 1; i < compacted.values().length; i++) {
            assertThat(compacted.values()[i]).isGreaterThanOrEqualTo(compacted.values()[i - 1]);
        }
    }

    @Test
    void shouldAnswerForTheWholeWhenTheSketchesOfHourlyPartsAreMerged() {
        long seed = SEED + 20;
        SplittableRandom random = new SplittableRandom(seed);
        // A day of hourly windows whose distribution drifts through the day and whose sizes differ.
        QuantileSketch day = new QuantileSketch();
        double[] all = new double[0];
        for (int hour = 0; hour < 24; hour++) {
            double[] part = new double[1_000 + random.nextInt(40_000)];
            for (int i = 0; i < part.length; i++) {
                part[i] = hour + 5 * random.nextGaussian();
            }
            // Each hour stored as bytes and read back, as monitoring will.
            day.merge(QuantileSketch.fromBytes(
                    sketchOf(part, QuantileSketch.DEFAULT_K).toBytes()));
            all = concat(all, part);
        }

        assertThat(day.count()).isEqualTo(all.length);
        assertWithinBound(day, Sorted.of(all), "24 merged hours, seed " + seed);
    }

    @Test
    void shouldGiveByteIdenticalSketchesForTheSameValuesWhateverOtherSketchesCompactMeanwhile() throws Exception {
        long seed = SEED + 40;
        double[] values = Distribution.LOGNORMAL.sample(300_000, seed);
        // Another thread compacts sketches of other values all the while: with DataSketches' shared, unseeded
        // coin this alone made two sketches of the same values differ.
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread noise = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(seed + 1);
            while (!stop.get()) {
                QuantileSketch other = new QuantileSketch(16);
                for (int i = 0; i < 10_000; i++) {
                    other.add(random.nextDouble());
                }
                other.toBytes();
            }
        });
        noise.start();
        try {
            QuantileSketch first = sketchOf(values, QuantileSketch.DEFAULT_K);
            QuantileSketch second = sketchOf(values, QuantileSketch.DEFAULT_K);
            assertThat(first.isExact())
                    .as("the sketches must have compacted, seed %d", seed)
                    .isFalse();
            assertThat(second.toBytes()).as("seed %d", seed).isEqualTo(first.toBytes());

            // hourly parts merged into a day, twice: the same day
            QuantileSketch dayOne = new QuantileSketch();
            QuantileSketch dayTwo = new QuantileSketch();
            for (int part = 0; part < 6; part++) {
                double[] hour = Arrays.copyOfRange(values, part * 50_000, (part + 1) * 50_000);
                dayOne.merge(QuantileSketch.fromBytes(
                        sketchOf(hour, QuantileSketch.DEFAULT_K).toBytes()));
                dayTwo.merge(QuantileSketch.fromBytes(
                        sketchOf(hour, QuantileSketch.DEFAULT_K).toBytes()));
            }
            assertThat(dayTwo.toBytes()).as("merged, seed %d", seed).isEqualTo(dayOne.toBytes());
            assertWithinBound(dayOne, Sorted.of(values), "6 merged parts, seed " + seed);
        } finally {
            stop.set(true);
            noise.join();
        }
    }

    @Test
    void shouldCountAndAnswerWithValuesNotYetPassedToKll() {
        // fewer values than one batch: all are still held back by the sketch, and every answer includes them
        QuantileSketch sketch = new QuantileSketch();
        sketch.add(3);
        sketch.add(1);
        assertThat(sketch.count()).isEqualTo(2);
        assertThat(sketch.isEmpty()).isFalse();
        assertThat(sketch.min()).isEqualTo(1);
        QuantileSketch other = new QuantileSketch();
        other.add(2);
        sketch.merge(other);
        assertThat(sketch.count()).isEqualTo(3);
        assertThat(sketch.quantile(0.5)).isEqualTo(2);
        assertThat(other.count()).isEqualTo(1);
        assertThat(QuantileSketch.fromBytes(sketch.toBytes()).count()).isEqualTo(3);
    }

    @Test
    void shouldAnswerIdenticallyAfterARoundTripThroughBytes() {
        long seed = SEED + 30;
        QuantileSketch sketch = sketchOf(Distribution.LOGNORMAL.sample(100_000, seed), QuantileSketch.DEFAULT_K);
        byte[] bytes = sketch.toBytes();

        QuantileSketch read = QuantileSketch.fromBytes(bytes);

        assertThat(read.toBytes()).isEqualTo(bytes);
        assertThat(read.count()).isEqualTo(sketch.count());
        assertThat(read.k()).isEqualTo(sketch.k());
        assertThat(read.min()).isEqualTo(sketch.min());
        assertThat(read.max()).isEqualTo(sketch.max());
        assertThat(read.quantiles(Samples.RANKS)).isEqualTo(sketch.quantiles(Samples.RANKS));
        double[] splits = {0.5, 1, 2, 4};
        for (Intervals intervals : Intervals.values()) {
            assertThat(read.cdf(splits, intervals)).isEqualTo(sketch.cdf(splits, intervals));
            assertThat(read.pmf(splits, intervals)).isEqualTo(sketch.pmf(splits, intervals));
        }
        assertThat(read.normalizedRankError()).isEqualTo(sketch.normalizedRankError());
    }

    @Test
    void shouldRejectInvalidArgumentsNamingThem() {
        assertThatThrownBy(() -> new QuantileSketch(7)).hasMessageContaining("k must be in [8, 65535], was 7");
        QuantileSketch sketch = new QuantileSketch();
        assertThatThrownBy(() -> sketch.quantile(0.5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> sketch.add(Double.NaN)).hasMessageContaining("value must be finite");
        assertThatThrownBy(() -> sketch.add(Double.POSITIVE_INFINITY)).hasMessageContaining("value must be finite");
        sketch.add(1);
        assertThatThrownBy(() -> sketch.quantile(1.5)).hasMessageContaining("rank must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> sketch.quantiles(0.5, -1)).hasMessageContaining("ranks[1]");
        assertThatThrownBy(() -> sketch.pmf(new double[] {1, 1}, Intervals.RIGHT_CLOSED))
                .hasMessageContaining("splitPoints must be strictly increasing");
        assertThatThrownBy(() -> sketch.cdf(new double[] {0, Double.NaN}, Intervals.RIGHT_CLOSED))
                .hasMessageContaining("splitPoints[1] must be finite");
        assertThatThrownBy(() -> QuantileSketch.fromBytes(new DistinctCountSketch().toBytes()))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("Expected a summary of kind QUANTILES but the bytes hold DISTINCT_COUNT");
    }

    static QuantileSketch sketchOf(double[] values, int k) {
        QuantileSketch sketch = new QuantileSketch(k);
        for (double v : values) {
            sketch.add(v);
        }
        return sketch;
    }

    /**
     * Every rank the sketch answers, against the exact ranks: quantiles (the rank of the returned value),
     * ranks and CDF on both sides at the true quantiles, and PMF masses with the PMF's own bound.
     */
    static void assertWithinBound(QuantileSketch sketch, Sorted exact, String context) {
        double eps = sketch.normalizedRankError();
        for (double rank : Samples.RANKS) {
            double q = sketch.quantile(rank);
            assertThat(exact.rankErrorOf(q, rank))
                    .as("%s: rank error of quantile(%s) = %s", context, rank, q)
                    .isLessThanOrEqualTo(eps);
        }
        double[] splits =
                Arrays.stream(Samples.RANKS).map(exact::quantile).distinct().toArray();
        double[] cdf = sketch.cdf(splits, Intervals.RIGHT_CLOSED);
        double[] cdfBelow = sketch.cdf(splits, Intervals.LEFT_CLOSED);
        double[] pmf = sketch.pmf(splits, Intervals.RIGHT_CLOSED);
        double previous = 0;
        for (int i = 0; i < splits.length; i++) {
            double x = splits[i];
            assertThat(Math.abs(cdf[i] - exact.atOrBelow(x)))
                    .as("%s: rank error at %s", context, x)
                    .isLessThanOrEqualTo(eps);
            assertThat(Math.abs(sketch.rank(x) - exact.atOrBelow(x))).isLessThanOrEqualTo(eps);
            assertThat(Math.abs(cdfBelow[i] - exact.below(x)))
                    .as("%s: rank error below %s", context, x)
                    .isLessThanOrEqualTo(eps);
            assertThat(Math.abs(pmf[i] - (exact.atOrBelow(x) - previous)))
                    .as("%s: pmf error of the interval ending at %s", context, x)
                    .isLessThanOrEqualTo(sketch.normalizedRankErrorOfPmf());
            previous = exact.atOrBelow(x);
        }
        assertThat(Arrays.stream(pmf).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(sketch.min()).isEqualTo(exact.values()[0]);
        assertThat(sketch.max()).isEqualTo(exact.values()[exact.n() - 1]);
    }

    static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
