package io.tenantml.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class MomentsTest {

    private static final long SEED = 20261129L;

    /** Relative tolerance 1e-9, as a percentage. */
    private static final Percentage RELATIVE_1E_9 = Percentage.withPercentage(1e-7);

    @Test
    void shouldMergeHourlyPartsIntoTheMomentsOfTheWholeDay() {
        long seed = SEED;
        SplittableRandom random = new SplittableRandom(seed);
        // Epoch milliseconds of a day: large values with a small spread, where sum-of-squares formulas cancel.
        double[] values = new double[500_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1.7e12 + 86_400_000 * random.nextDouble() + 1_000 * random.nextGaussian();
        }
        Moments whole = new Moments();
        Moments day = new Moments();
        int at = 0;
        for (int hour = 0; hour < 24; hour++) {
            int size = hour == 23 ? values.length - at : Math.min(values.length - at, random.nextInt(40_000));
            Moments part = new Moments();
            for (int i = at; i < at + size; i++) {
                part.add(values[i]);
                whole.add(values[i]);
            }
            at += size;
            day.merge(Moments.fromBytes(part.toBytes()));
        }
        Exact exact = Exact.of(values);

        for (Moments m : new Moments[] {whole, day}) {
            assertThat(m.count()).isEqualTo(values.length);
            assertThat(m.mean()).as("seed %d", seed).isCloseTo(exact.mean, RELATIVE_1E_9);
            assertThat(m.sampleVariance()).as("seed %d", seed).isCloseTo(exact.sampleVariance, RELATIVE_1E_9);
            assertThat(m.populationVariance())
                    .isCloseTo(exact.sampleVariance * (values.length - 1) / values.length, RELATIVE_1E_9);
            assertThat(m.min()).isEqualTo(exact.min);
            assertThat(m.max()).isEqualTo(exact.max);
        }
        assertThat(day.standardDeviation()).isCloseTo(whole.standardDeviation(), RELATIVE_1E_9);
    }

    @Test
    void shouldMergeWithEmptyMomentsOnEitherSide() {
        Moments some = new Moments();
        some.add(2);
        some.add(4);
        Moments empty = new Moments();
        empty.merge(some);
        some.merge(new Moments());

        for (Moments m : new Moments[] {some, empty}) {
            assertThat(m.count()).isEqualTo(2);
            assertThat(m.mean()).isEqualTo(3);
            // ((2-3)^2 + (4-3)^2) / (2 - 1)
            assertThat(m.sampleVariance()).isEqualTo(2);
            assertThat(m.min()).isEqualTo(2);
            assertThat(m.max()).isEqualTo(4);
        }
        assertThat(new Moments().mean()).isNaN();
        assertThat(new Moments().min()).isNaN();
    }

    @Test
    void shouldRoundTripThroughBytesBitForBit() {
        Moments m = new Moments();
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 1_000; i++) {
            m.add(random.nextGaussian());
        }
        Moments read = Moments.fromBytes(m.toBytes());
        assertThat(read.toBytes()).isEqualTo(m.toBytes());
        assertThat(read.mean()).isEqualTo(m.mean());
        assertThat(read.sumOfSquaredDeviations()).isEqualTo(m.sumOfSquaredDeviations());
        assertThat(Moments.fromBytes(new Moments().toBytes()).count()).isZero();
    }

    @Test
    void shouldRefuseNonFiniteValues() {
        Moments m = new Moments();
        assertThatThrownBy(() -> m.add(Double.NaN)).hasMessageContaining("value must be finite, was NaN");
        assertThat(m.count()).isZero();
    }

    /** Mean and sample variance in 50-digit decimal arithmetic, two passes. */
    record Exact(double mean, double sampleVariance, double min, double max) {
        static Exact of(double[] values) {
            MathContext mc = new MathContext(50);
            BigDecimal sum = BigDecimal.ZERO;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                sum = sum.add(new BigDecimal(v), mc);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            BigDecimal mean = sum.divide(BigDecimal.valueOf(values.length), mc);
            BigDecimal squares = BigDecimal.ZERO;
            for (double v : values) {
                BigDecimal d = new BigDecimal(v).subtract(mean, mc);
                squares = squares.add(d.multiply(d, mc), mc);
            }
            BigDecimal variance = squares.divide(BigDecimal.valueOf(values.length - 1L), mc);
            return new Exact(mean.doubleValue(), variance.doubleValue(), min, max);
        }
    }
}
