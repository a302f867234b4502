package io.tenantml.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DistinctCountSketchTest {

    private static final long SEED = 20261129L;

    /**
     * The relative standard error of HLL with the composite estimator is 1.04 / sqrt(2^lgK) (Flajolet et al.
     * 2007; DataSketches' HLL documentation): 1.625% at lgK 12. Three of them: 4.9%.
     */
    private static double threeStandardErrors(int lgK) {
        return 3 * 1.04 / Math.sqrt(1 << lgK);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 1_000, 50_000, 1_000_000})
    void shouldCountDistinctNumbersWithinTheBound(int distinct) {
        long seed = SEED + distinct;
        SplittableRandom random = new SplittableRandom(seed);
        DistinctCountSketch sketch = new DistinctCountSketch();
        // Every value at least once, then as many repeats drawn at random: duplicates must not count.
        long[] keys = random.longs(distinct).toArray();
        for (long k : keys) {
            sketch.add((double) k);
        }
        for (int i = 0; i < distinct; i++) {
            sketch.add((double) keys[random.nextInt(distinct)]);
        }

        assertWithinBound(sketch, distinct, "seed " + seed);
    }

    @Test
    void shouldCountThreeMillionDistinctStringsWithinTheBound() {
        DistinctCountSketch sketch = new DistinctCountSketch();
        for (int i = 0; i < 3_000_000; i++) {
            sketch.add("customer-" + i);
        }
        assertWithinBound(sketch, 3_000_000, "strings customer-0 .. customer-2999999");
    }

    @Test
    void shouldCountTheEmptyStringAndNonAsciiValuesAsValues() {
        DistinctCountSketch sketch = new DistinctCountSketch();
        for (String s : new String[] {"", "a", "ä", "日本", "", "a"}) {
            sketch.add(s);
        }
        assertThat(Math.round(sketch.estimate())).isEqualTo(4);
    }

    @Test
    void shouldCountTheUnionWhenOverlappingHourlyPartsAreMerged() {
        long seed = SEED + 1;
        SplittableRandom random = new SplittableRandom(seed);
        DistinctCountSketch day = new DistinctCountSketch();
        Set<Long> truth = new HashSet<>();
        for (int hour = 0; hour < 24; hour++) {
            DistinctCountSketch part = new DistinctCountSketch();
            // Customers drawn from a shared pool: most come back in later hours.
            for (int i = 0; i < 20_000; i++) {
                long customer = random.nextLong(200_000);
                part.add((double) customer);
                truth.add(customer);
            }
            day.merge(DistinctCountSketch.fromBytes(part.toBytes()));
        }
        assertWithinBound(day, truth.size(), "24 merged hours, seed " + seed);
    }

    @Test
    void shouldMergeSketchesOfDifferentSizesAtTheSmallerOne() {
        DistinctCountSketch fine = new DistinctCountSketch(14);
        DistinctCountSketch coarse = new DistinctCountSketch(10);
        for (int i = 0; i < 100_000; i++) {
            (i % 2 == 0 ? fine : coarse).add((double) i);
        }
        fine.merge(coarse);
        assertThat(fine.lgK()).isEqualTo(10);
        assertWithinBound(fine, 100_000, "lgK 14 merged with lgK 10");
    }

    @Test
    void shouldGiveTheSameMergedEstimateWhateverTheOrderOfTheParts() {
        DistinctCountSketch[] parts = new DistinctCountSketch[5];
        for (int p = 0; p < parts.length; p++) {
            parts[p] = new DistinctCountSketch();
            for (int i = 0; i < 30_000; i++) {
                parts[p].add((double) (p * 10_000 + i));
            }
        }
        DistinctCountSketch forwards = new DistinctCountSketch();
        DistinctCountSketch backwards = new DistinctCountSketch();
        for (int p = 0; p < parts.length; p++) {
            forwards.merge(parts[p]);
            backwards.merge(parts[parts.length - 1 - p]);
        }
        // A merge keeps the register-wise maximum and answers with the composite estimator: no order in it.
        assertThat(backwards.estimate()).isEqualTo(forwards.estimate());
        assertWithinBound(forwards, 70_000, "five overlapping parts");
    }

    @Test
    void shouldAnswerIdenticallyAfterARoundTripThroughBytes() {
        DistinctCountSketch sketch = new DistinctCountSketch();
        DistinctCountSketch other = new DistinctCountSketch();
        for (int i = 0; i < 100_000; i++) {
            sketch.add("v" + i);
            other.add("w" + i);
        }
        DistinctCountSketch merged = sketch.copy();
        merged.merge(other);
        for (DistinctCountSketch s : new DistinctCountSketch[] {sketch, merged}) {
            byte[] bytes = s.toBytes();
            DistinctCountSketch read = DistinctCountSketch.fromBytes(bytes);
            assertThat(read.toBytes()).isEqualTo(bytes);
            assertThat(read.estimate()).isEqualTo(s.estimate());
            assertThat(read.lgK()).isEqualTo(s.lgK());
            for (int sd = 1; sd <= 3; sd++) {
                assertThat(read.lowerBound(sd)).isEqualTo(s.lowerBound(sd));
                assertThat(read.upperBound(sd)).isEqualTo(s.upperBound(sd));
            }
        }
        // Stored at four bits per register: 2^12 / 2 bytes plus headers.
        assertThat(sketch.toBytes().length).isLessThan(2_200);
    }

    @Test
    void shouldRejectInvalidArgumentsNamingThem() {
        assertThatThrownBy(() -> new DistinctCountSketch(3)).hasMessageContaining("lgK must be in [4, 21], was 3");
        DistinctCountSketch sketch = new DistinctCountSketch();
        assertThatThrownBy(() -> sketch.add(Double.NaN)).hasMessageContaining("value must not be NaN");
        assertThatThrownBy(() -> sketch.add((String) null)).hasMessageContaining("value");
        assertThatThrownBy(() -> sketch.upperBound(4)).hasMessageContaining("standardDeviations must be 1, 2 or 3");
        assertThatThrownBy(() -> DistinctCountSketch.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7}))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("Not a TenantML summary");
    }

    static void assertWithinBound(DistinctCountSketch sketch, long truth, String context) {
        assertThat((double) truth)
                .as("%s: true count within DataSketches' 3-standard-deviation bounds", context)
                .isBetween(sketch.lowerBound(3), sketch.upperBound(3));
        assertThat(Math.abs(sketch.estimate() / truth - 1))
                .as("%s: relative error of %s for %d", context, sketch.estimate(), truth)
                .isLessThanOrEqualTo(threeStandardErrors(sketch.lgK()));
    }
}
