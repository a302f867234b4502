package io.tenantml.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.statistics.ColumnSketch.Kind;
import io.tenantml.statistics.Samples.Distribution;
import io.tenantml.statistics.Samples.Sorted;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class ColumnSketchTest {

    private static final long SEED = 20261129L;

    private static final SketchSettings SMALL_CAP = new SketchSettings(200, 12, 64, 10);

    @Test
    void shouldMergeADayOfStoredHourlyNumericWindowsIntoTheDay() {
        long seed = SEED;
        SplittableRandom random = new SplittableRandom(seed);
        ColumnSketch whole = new ColumnSketch(Kind.NUMERIC);
        ColumnSketch day = new ColumnSketch(Kind.NUMERIC);
        double[] all = new double[0];
        long missing = 0;
        for (int hour = 0; hour < 24; hour++) {
            ColumnSketch window = new ColumnSketch(Kind.NUMERIC);
            double[] values = Distribution.LOGNORMAL.sample(5_000 + random.nextInt(20_000), seed + hour);
            for (double v : values) {
                window.add(v);
                whole.add(v);
            }
            int gaps = random.nextInt(100);
            for (int i = 0; i < gaps; i++) {
                window.addMissing();
                whole.addMissing();
            }
            missing += gaps;
            all = QuantileSketchTest.concat(all, values);
            day.merge(ColumnSketch.fromBytes(window.toBytes()));
        }
        Sorted exact = Sorted.of(all);

        assertThat(day.count()).isEqualTo(all.length);
        assertThat(day.missing()).isEqualTo(missing);
        assertThat(day.moments().mean()).isCloseTo(whole.moments().mean(), Percentage.withPercentage(1e-7));
        assertThat(day.moments().sampleVariance())
                .isCloseTo(whole.moments().sampleVariance(), Percentage.withPercentage(1e-7));
        assertThat(day.moments().min()).isEqualTo(exact.values()[0]);
        assertThat(day.moments().max()).isEqualTo(exact.values()[all.length - 1]);
        for (double rank : Samples.RANKS) {
            assertThat(exact.rankErrorOf(day.quantile(rank), rank))
                    .as("seed %d, rank %s", seed, rank)
                    .isLessThanOrEqualTo(day.rankError());
        }
        double[] splits = {0.5, 1, 2, 3};
        double[] pmf = day.pmf(splits, Intervals.LEFT_CLOSED);
        double previous = 0;
        for (int i = 0; i < splits.length; i++) {
            assertThat(pmf[i]).isCloseTo(exact.below(splits[i]) - previous, Offset.offset(day.pmfError()));
            previous = exact.below(splits[i]);
        }
        // Every value is distinct (continuous draws): the distinct count is the count, within HLL's bound.
        assertThat((double) day.distinct().estimate()).isCloseTo(all.length, Percentage.withPercentage(5));
        assertThat(day.distinct().upperBound()).isLessThanOrEqualTo(all.length);
    }

    @Test
    void shouldCountCategoriesExactlyUpToTheCap() {
        ColumnSketch sketch = new ColumnSketch(Kind.CATEGORICAL, SMALL_CAP);
        Map<String, Long> truth = new HashMap<>();
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 10_000; i++) {
            String v = "c" + random.nextInt(10);
            sketch.add(v);
            truth.merge(v, 1L, Long::sum);
        }
        sketch.addMissing();

        assertThat(sketch.hasExactValueCounts()).isTrue();
        assertThat(sketch.distinct()).isEqualTo(new DistinctCount(10, 10, 10));
        truth.forEach((v, c) -> assertThat(sketch.frequency(v)).isEqualTo(new ValueFrequency(v, c, c, c)));
        List<ValueFrequency> top = sketch.mostFrequent(3);
        assertThat(top).hasSize(3);
        assertThat(top.get(0).estimate())
                .isEqualTo(
                        truth.values().stream().mapToLong(Long::longValue).max().orElseThrow());
        double[] shares = sketch.pmf(List.of("c0", "c1", "absent"));
        assertThat(shares[0]).isEqualTo(truth.get("c0") / 10_000.0);
        assertThat(shares[2]).isZero();
        assertThat(Arrays.stream(shares).sum()).isCloseTo(1, Offset.offset(1e-12));
        assertThat(sketch.missing()).isEqualTo(1);
    }

    @Test
    void shouldKeepEveryValueWhenGoingBeyondTheCap() {
        ColumnSketch sketch = new ColumnSketch(Kind.CATEGORICAL, SMALL_CAP);
        Map<String, Long> truth = new HashMap<>();
        // Ten values fill the cap, then a heavy newcomer and a long tail arrive.
        for (int i = 0; i < 10; i++) {
            sketch.add("early" + i);
            truth.merge("early" + i, 1L, Long::sum);
        }
        for (int i = 0; i < 5_000; i++) {
            String v = i % 2 == 0 ? "late-heavy" : "tail" + i;
            sketch.add(v);
            truth.merge(v, 1L, Long::sum);
        }

        assertThat(sketch.hasExactValueCounts()).isFalse();
        assertThat(sketch.count()).isEqualTo(5_010);
        ValueFrequency heavy = sketch.frequency("late-heavy");
        assertThat(truth.get("late-heavy")).isBetween(heavy.lowerBound(), heavy.upperBound());
        assertThat(sketch.mostFrequent(1).get(0).value()).isEqualTo("late-heavy");
        DistinctCount distinct = sketch.distinct();
        assertThat((long) truth.size()).isBetween(distinct.lowerBound(), distinct.upperBound());
    }

    @Test
    void shouldStayExactWhenMergedPartsFitTheCapAndSketchWhenTheyDoNot() {
        ColumnSketch a = categorical(SMALL_CAP, "x", "y", "y");
        ColumnSketch b = categorical(SMALL_CAP, "y", "z");
        a.merge(b);
        assertThat(a.hasExactValueCounts()).isTrue();
        assertThat(a.mostFrequent(10))
                .containsExactly(
                        new ValueFrequency("y", 3, 3, 3),
                        new ValueFrequency("x", 1, 1, 1),
                        new ValueFrequency("z", 1, 1, 1));

        ColumnSketch wide = categorical(SMALL_CAP, "a", "b", "c", "d", "e", "f", "g", "h");
        a.merge(wide);
        assertThat(a.hasExactValueCounts()).isFalse();
        assertThat(a.count()).isEqualTo(13);
        // Below the frequent-values map's capacity, the sketch still counts exactly.
        assertThat(a.frequency("y")).isEqualTo(new ValueFrequency("y", 3, 3, 3));
        assertThat(a.distinct().estimate()).isEqualTo(11);

        // Sketched into exact, and exact into sketched, give the same counts.
        ColumnSketch exactFirst = categorical(SMALL_CAP, "q", "q");
        exactFirst.merge(a);
        ColumnSketch sketchedFirst = a.copy();
        sketchedFirst.merge(categorical(SMALL_CAP, "q", "q"));
        assertThat(exactFirst.mostFrequent(20)).isEqualTo(sketchedFirst.mostFrequent(20));
        assertThat(exactFirst.frequency("q").estimate()).isEqualTo(2);
    }

    @Test
    void shouldAnswerIdenticallyAfterARoundTripThroughBytesForEveryKind() {
        ColumnSketch numeric = new ColumnSketch(Kind.NUMERIC);
        for (double v : Distribution.HEAVY_TIES.sample(50_000, SEED)) {
            numeric.add(v);
        }
        numeric.addMissing();
        ColumnSketch exact = categorical(SketchSettings.DEFAULTS, "b", "a", "b", "");
        ColumnSketch sketched = new ColumnSketch(Kind.CATEGORICAL, SMALL_CAP);
        ColumnSketch text = new ColumnSketch(Kind.TEXT);
        for (int i = 0; i < 1_000; i++) {
            sketched.add("v" + (i % 37));
            text.add("free text " + i);
        }

        for (ColumnSketch s : List.of(numeric, exact, sketched, text)) {
            // Read twice: the second time from the bytes of the first reading (HLL's small-count form may list
            // the same hashes in another order then, so the bytes need not be identical; the answers are).
            ColumnSketch read =
                    ColumnSketch.fromBytes(ColumnSketch.fromBytes(s.toBytes()).toBytes());
            assertThat(read.kind()).isEqualTo(s.kind());
            assertThat(read.settings()).isEqualTo(s.settings());
            assertThat(read.count()).isEqualTo(s.count());
            assertThat(read.missing()).isEqualTo(s.missing());
            assertThat(read.distinct()).isEqualTo(s.distinct());
            if (s.kind() == Kind.NUMERIC) {
                assertThat(read.quantiles(Samples.RANKS)).isEqualTo(s.quantiles(Samples.RANKS));
                assertThat(read.moments().toBytes()).isEqualTo(s.moments().toBytes());
            }
            if (s.kind() == Kind.CATEGORICAL) {
                assertThat(read.hasExactValueCounts()).isEqualTo(s.hasExactValueCounts());
                assertThat(read.mostFrequent(100)).isEqualTo(s.mostFrequent(100));
            }
        }
        assertThat(exact.frequency("").estimate()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheSameQuantilesMomentsAndCountsWithoutADistinctCountAndSayItKeepsNone() {
        SketchSettings none = SketchSettings.DEFAULTS.withoutDistinctCount();
        ColumnSketch with = new ColumnSketch(Kind.NUMERIC);
        double[] values = Distribution.HEAVY_TIES.sample(20_000, SEED);
        for (double v : values) {
            with.add(v);
        }
        ColumnSketch without = new ColumnSketch(Kind.NUMERIC, none);
        for (double v : values) {
            without.add(v);
        }
        without.addMissing(3);
        ColumnSketch read = ColumnSketch.fromBytes(without.toBytes());
        assertThat(read.settings()).isEqualTo(none);
        assertThat(read.settings().keepsDistinctCount()).isFalse();
        assertThat(read.count()).isEqualTo(with.count());
        assertThat(read.missing()).isEqualTo(3);
        assertThat(read.quantiles(Samples.RANKS)).isEqualTo(with.quantiles(Samples.RANKS));
        assertThat(read.moments().toBytes()).isEqualTo(with.moments().toBytes());
        assertThat(without.toBytes().length).isLessThan(with.toBytes().length);
        assertThatThrownBy(read::distinct)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("This column sketch keeps no distinct count");

        // a categorical column beyond the cap, and merges: whoever keeps none makes the merge keep none
        ColumnSketch sketched = new ColumnSketch(Kind.CATEGORICAL, SMALL_CAP.withoutDistinctCount());
        for (int i = 0; i < 1_000; i++) {
            sketched.add("v" + (i % 37));
        }
        ColumnSketch sketchedRead = ColumnSketch.fromBytes(sketched.toBytes());
        assertThat(sketchedRead.hasExactValueCounts()).isFalse();
        assertThat(sketchedRead.mostFrequent(100)).isEqualTo(sketched.mostFrequent(100));
        ColumnSketch keeping = new ColumnSketch(Kind.NUMERIC);
        keeping.add(1.0);
        keeping.merge(without);
        assertThat(keeping.settings().keepsDistinctCount()).isFalse();
        assertThat(keeping.count()).isEqualTo(values.length + 1);
        assertThatThrownBy(keeping::distinct).isInstanceOf(IllegalStateException.class);
        ColumnSketch.fromBytes(keeping.toBytes());
        ColumnSketch keepingNone = new ColumnSketch(Kind.NUMERIC, none);
        keepingNone.merge(with);
        assertThat(keepingNone.settings()).isEqualTo(none);
        assertThat(keepingNone.count()).isEqualTo(values.length);
        assertThatThrownBy(() -> new SketchSettings(200, 2, 1024, 10))
                .hasMessageContaining("distinctLgK must be 0 (none) or in [4,");
    }

    @Test
    void shouldRejectMisuseNamingWhatIsWrong() {
        ColumnSketch numeric = new ColumnSketch(Kind.NUMERIC);
        ColumnSketch text = new ColumnSketch(Kind.TEXT);
        assertThatThrownBy(() -> numeric.merge(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot merge a TEXT column sketch into a NUMERIC one");
        assertThatThrownBy(() -> numeric.merge(numeric)).hasMessageContaining("cannot be merged into itself");
        assertThatThrownBy(() -> numeric.add("x")).hasMessageContaining("add(String) on a NUMERIC column sketch");
        assertThatThrownBy(() -> text.add(1.0)).hasMessageContaining("add(double) needs a NUMERIC column sketch");
        assertThatThrownBy(() -> text.frequency("x")).hasMessageContaining("this one is TEXT");
        assertThatThrownBy(() -> numeric.add(Double.NaN)).hasMessageContaining("value must be finite");
        assertThatThrownBy(() -> numeric.quantile(0.5)).hasMessageContaining("empty");
        assertThatThrownBy(() -> categorical(SketchSettings.DEFAULTS, "a").pmf(List.of("a", "a")))
                .hasMessageContaining("values must be distinct: 'a' is repeated at 1");
        assertThatThrownBy(() -> new ColumnSketch(null, SketchSettings.DEFAULTS))
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> new SketchSettings(200, 12, 1000, 10))
                .hasMessageContaining("frequentValuesMapSize must be a power of two");
        assertThatThrownBy(() -> new SketchSettings(4, 12, 1024, 10)).hasMessageContaining("quantileK");
        assertThatThrownBy(() -> new SketchSettings(200, 30, 1024, 10)).hasMessageContaining("distinctLgK");
        assertThatThrownBy(() -> new SketchSettings(200, 12, 1024, -1)).hasMessageContaining("exactValueCap");
    }

    static ColumnSketch categorical(SketchSettings settings, String... values) {
        ColumnSketch sketch = new ColumnSketch(Kind.CATEGORICAL, settings);
        for (String v : values) {
            sketch.add(v);
        }
        return sketch;
    }
}
