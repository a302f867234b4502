package io.tenantml.dataset.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.dataset.ColumnProfile;
import io.tenantml.dataset.ColumnProfile.ValueCount;
import io.tenantml.dataset.ColumnType;
import io.tenantml.statistics.ColumnSketch;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ColumnProfilerTest {

    private static final long SEED = 20261129L;

    @Test
    void shouldShowQuantilesAndHistogramWithinTheSketchBoundOfTheExactOnes() {
        SplittableRandom random = new SplittableRandom(SEED);
        ColumnProfiler profiler = new ColumnProfiler("amount", ColumnType.NUMERIC);
        double[] values = new double[300_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(random.nextGaussian());
            profiler.add(values[i], i + 1);
        }
        profiler.add(null, values.length + 1);
        double[] sorted = values.clone();
        Arrays.sort(sorted);

        ColumnProfile profile = profiler.profile();

        assertThat(profile.count()).isEqualTo(300_000);
        assertThat(profile.missing()).isEqualTo(1);
        assertThat(profile.min()).isEqualTo(sorted[0]);
        assertThat(profile.max()).isEqualTo(sorted[sorted.length - 1]);
        assertThat(profile.mean()).isCloseTo(Arrays.stream(values).average().orElseThrow(), Offset.offset(1e-9));
        // The bound the ColumnProfile javadoc promises: 0.27% (k = 1,024).
        double eps = profiler.sketch.rankError();
        assertThat(eps).isLessThan(0.0028);
        for (int i = 0; i < ColumnProfiler.QUANTILES.length; i++) {
            double rank = ColumnProfiler.QUANTILES[i];
            double q = profile.quantiles().get(ColumnProfiler.QUANTILE_NAMES[i]);
            double trueRank = (double) upperIndex(sorted, q) / sorted.length;
            assertThat(Math.abs(trueRank - rank))
                    .as("seed %d, %s = %s", SEED, ColumnProfiler.QUANTILE_NAMES[i], q)
                    .isLessThanOrEqualTo(eps);
        }
        long total = 0;
        for (int b = 0; b < profile.histogram().counts().size(); b++) {
            double lo = profile.histogram().edges().get(b);
            double hi = profile.histogram().edges().get(b + 1);
            boolean last = b == profile.histogram().counts().size() - 1;
            long exact = Arrays.stream(values)
                    .filter(v -> v >= lo && (last ? v <= hi : v < hi))
                    .count();
            long shown = profile.histogram().counts().get(b);
            assertThat((double) Math.abs(shown - exact))
                    .as("seed %d, bin [%s, %s)", SEED, lo, hi)
                    .isLessThanOrEqualTo(profiler.sketch.pmfError() * values.length + 1);
            total += shown;
        }
        assertThat(total).isEqualTo(values.length);
    }

    @Test
    void shouldCountCategoriesExactlyUpToTheCapAndEstimateTheHeavyOnesBeyond() {
        SplittableRandom random = new SplittableRandom(SEED);
        ColumnProfiler few = new ColumnProfiler("airline", ColumnType.CATEGORICAL);
        ColumnProfiler many = new ColumnProfiler("customer", ColumnType.CATEGORICAL);
        Map<String, Long> truth = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            few.add("AL" + random.nextInt(12), i + 1);
            // A third of the rows from 3 big customers, the rest from 20,000 small ones.
            String customer = i % 3 == 0 ? "big" + random.nextInt(3) : "c" + random.nextInt(20_000);
            many.add(customer, i + 1);
            truth.merge(customer, 1L, Long::sum);
        }

        ColumnProfile exact = few.profile();
        assertThat(exact.distinct()).isEqualTo(12);
        assertThat(exact.topValues()).hasSize(12);
        assertThat(exact.topValues().stream().mapToLong(ValueCount::count).sum())
                .isEqualTo(100_000);

        ColumnProfile sketched = many.profile();
        assertThat(many.sketch.hasExactValueCounts()).isFalse();
        // Within three of HLL's relative standard errors at lgK 12: 3 x 1.04 / sqrt(4096) = 4.9%.
        assertThat((double) sketched.distinct()).isCloseTo(truth.size(), Offset.offset(truth.size() * 0.049));
        assertThat(sketched.topValues().subList(0, 3))
                .extracting(ValueCount::value)
                .containsExactlyInAnyOrder("big0", "big1", "big2");
        for (ValueCount v : sketched.topValues().subList(0, 3)) {
            // Estimates are never below the truth and at most 3.5 / 1,024 of the count above it.
            assertThat(v.count()).isBetween(truth.get(v.value()), truth.get(v.value()) + 342);
        }
    }

    @Test
    void shouldProfileBooleansTimestampsAndTextLikeBeforeSketches() {
        ColumnProfiler flag = new ColumnProfiler("paid", ColumnType.BOOLEAN);
        ColumnProfiler time = new ColumnProfiler("at", ColumnType.TIMESTAMP);
        ColumnProfiler text = new ColumnProfiler("note", ColumnType.TEXT);
        for (int i = 0; i < 1_000; i++) {
            flag.add(i % 4 != 0, i);
            time.add(Instant.ofEpochMilli(1_700_000_000_000L + i * 1_000L), i);
            text.add("note " + (i % 250), i);
        }

        assertThat(flag.profile().topValues())
                .containsExactly(new ValueCount("true", 750), new ValueCount("false", 250));
        assertThat(flag.profile().distinct()).isEqualTo(2);
        ColumnProfile t = time.profile();
        assertThat(t.min()).isEqualTo(1.7e12);
        assertThat(t.max()).isEqualTo(1.7e12 + 999_000);
        assertThat(t.mean()).isEqualTo(1.7e12 + 499_500);
        assertThat(t.std()).isNull();
        assertThat(t.quantiles()).isNull();
        assertThat(time.sketch.kind()).isEqualTo(ColumnSketch.Kind.NUMERIC);
        assertThat(text.profile().distinct()).isEqualTo(250);
        assertThat(text.profile().topValues()).isNull();
    }

    /** Number of values at or below x. */
    private static int upperIndex(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
