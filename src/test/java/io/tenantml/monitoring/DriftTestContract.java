package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DriftTest} must do (its javadoc's lifecycle and guarantees); each implementation's
 * test extends this. Samples come from fixed seeds, named in every assertion message.
 */
public abstract class DriftTestContract<S extends FeatureSummary> {

    protected abstract DriftTest<S> test();

    /** n values from the reference distribution ({@code shifted} false) or a clearly different one. */
    protected abstract S sample(long seed, int n, boolean shifted);

    /** The same summary declared approximate (sketch error), when the test's inputs can be sketches. */
    protected abstract Optional<S> approximate(S exact);

    /** An effect size a clearly different distribution (as {@link #sample} makes) must reach at n = 2,000. */
    protected abstract double largeEffect();

    /** Largest possible effect size (1 for distances in [0, 1]); infinity when unbounded. */
    protected double maxEffect() {
        return Double.POSITIVE_INFINITY;
    }

    @Test
    void shouldFindNothingBetweenIdenticalSummaries() {
        S s = sample(1, 500, false);
        DriftMeasurement m = test().measure(s, s);
        assertThat(m.statistic()).as("statistic").isCloseTo(0.0, within(1e-12));
        assertThat(m.effectSize()).as("effect size").isCloseTo(0.0, within(1e-12));
        m.pValue().ifPresent(p -> assertThat(p).as("p-value").isCloseTo(1.0, within(1e-12)));
    }

    @Test
    void shouldFindALargeShift() {
        DriftMeasurement m = test().measure(sample(1, 2000, false), sample(2, 2000, true));
        assertThat(m.effectSizeLowerBound()).as("effect size (seeds 1, 2)").isGreaterThanOrEqualTo(largeEffect());
        m.pValue().ifPresent(p -> assertThat(p).as("p-value (seeds 1, 2)").isLessThan(1e-9));
    }

    @Test
    void shouldFindLittleBetweenTwoSamplesOfOneDistribution() {
        DriftMeasurement m = test().measure(sample(1, 5000, false), sample(2, 5000, false));
        assertThat(m.effectSize()).as("effect size (seeds 1, 2)").isLessThan(largeEffect() / 4);
        m.pValue().ifPresent(p -> assertThat(p).as("p-value (seeds 1, 2)").isGreaterThan(0.001));
    }

    @Test
    void shouldGiveTheSameStatisticBothWaysWhenSymmetric() {
        S a = sample(3, 300, false);
        S b = sample(4, 700, true);
        double forward = test().measure(a, b).statistic();
        double backward = test().measure(b, a).statistic();
        if (test().symmetric()) {
            assertThat(backward).as("statistic swapped (seeds 3, 4)").isCloseTo(forward, within(1e-12));
        } else {
            assertThat(backward).as("asymmetric statistic swapped").isFinite();
        }
    }

    @Test
    void shouldKeepPValuesAndEffectSizesInBounds() {
        int[] sizes = {1, 2, 5, 30, 1000};
        for (int i = 0; i < sizes.length; i++) {
            for (int j = 0; j < sizes.length; j++) {
                for (boolean shifted : new boolean[] {false, true}) {
                    long seed = 100L + 10L * i + j;
                    DriftMeasurement m =
                            test().measure(sample(seed, sizes[i], false), sample(seed + 1, sizes[j], shifted));
                    String where = "sizes " + sizes[i] + "/" + sizes[j] + ", seed " + seed + ", shifted " + shifted;
                    m.pValue()
                            .ifPresent(
                                    p -> assertThat(p).as("p-value, " + where).isBetween(0.0, 1.0));
                    assertThat(m.effectSize()).as("effect size, " + where).isBetween(0.0, maxEffect());
                    assertThat(m.effectSizeLowerBound())
                            .as("lower bound, " + where)
                            .isBetween(0.0, m.effectSize());
                    assertThat(m.test()).isEqualTo(test().kind());
                }
            }
        }
    }

    @Test
    void shouldBeDeterministic() {
        S a = sample(5, 400, false);
        S b = sample(6, 600, true);
        assertThat(test().measure(a, b)).isEqualTo(test().measure(a, b));
        assertThat(test().measure(a, b)).isEqualTo(test().measure(sample(5, 400, false), sample(6, 600, true)));
    }

    @Test
    void shouldNotGrowTheEffectSizeWithTheSampleSizeAlone() {
        S reference = sample(7, 20_000, false);
        double small = test().measure(reference, sample(8, 100, false)).effectSize();
        double large = test().measure(reference, sample(9, 20_000, false)).effectSize();
        assertThat(large)
                .as("effect size of no change at n = 20,000 vs n = 100 (seeds 7-9)")
                .isLessThan(small);
    }

    @Test
    void shouldNeverLetSketchErrorCreateDrift() {
        S reference = sample(10, 2000, false);
        S window = sample(11, 1500, true);
        Optional<S> approximateReference = approximate(reference);
        Optional<S> approximateWindow = approximate(window);
        if (approximateReference.isEmpty() || approximateWindow.isEmpty()) {
            return;
        }
        DriftMeasurement exact = test().measure(reference, window);
        DriftMeasurement sketched = test().measure(approximateReference.get(), approximateWindow.get());
        assertThat(sketched.effectSizeLowerBound())
                .as("lower bound from sketches")
                .isLessThanOrEqualTo(exact.effectSizeLowerBound());
        if (exact.pValue().isPresent()) {
            assertThat(sketched.pValue().orElseThrow())
                    .as("p-value from sketches")
                    .isGreaterThanOrEqualTo(exact.pValue().getAsDouble());
        }
        DriftMeasurement same = test().measure(approximateReference.get(), approximateReference.get());
        assertThat(same.effectSizeLowerBound()).as("identical sketches").isCloseTo(0.0, within(1e-12));
    }
}
