package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.tenantml.monitoring.internal.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * The decision rule on deterministic inputs: numeric samples are normal quantile grids (value i of n at
 * Φ⁻¹((i + ½)/n)), so a shift of δ sd gives a KS distance of about 0.399·δ with no sampling noise.
 */
class DriftRuleTest {

    private final DriftRule rule = new DriftRule(DriftRuleSettings.defaults());

    private static NumericSummary normalGrid(int n, double shift) {
        NormalDistribution normal = new NormalDistribution();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = normal.inverseCumulativeProbability((i + 0.5) / n) + shift;
        }
        return NumericSummary.exact(values);
    }

    private static FeatureDriftVerdict only(DatasetDriftVerdict verdict) {
        assertThat(verdict.features()).hasSize(1);
        return verdict.features().getFirst();
    }

    @Test
    void shouldSayInsufficientDataBelowTheMinimumWindowInsteadOfAVerdict() {
        NumericSummary reference = normalGrid(5000, 0);
        FeatureDriftVerdict tiny =
                only(rule.judge(List.of(new FeatureComparison("x", reference, normalGrid(99, 2.0)))));
        assertThat(tiny.status()).isEqualTo(FeatureDriftStatus.INSUFFICIENT_DATA);
        assertThat(tiny.pValue()).isEmpty();
        assertThat(tiny.adjustedPValue()).isEmpty();
        assertThat(rule.judge(List.of(new FeatureComparison("x", reference, normalGrid(99, 2.0))))
                        .status())
                .isEqualTo(FeatureDriftStatus.INSUFFICIENT_DATA);

        FeatureDriftVerdict enough =
                only(rule.judge(List.of(new FeatureComparison("x", reference, normalGrid(100, 2.0)))));
        assertThat(enough.status()).isEqualTo(FeatureDriftStatus.DRIFT);
    }

    @Test
    void shouldSayInsufficientDataForATinyReference() {
        FeatureDriftVerdict v =
                only(rule.judge(List.of(new FeatureComparison("x", normalGrid(50, 0), normalGrid(5000, 2.0)))));
        assertThat(v.status()).isEqualTo(FeatureDriftStatus.INSUFFICIENT_DATA);
    }

    @Test
    void shouldNotCallANegligibleShiftInAHugeWindowDrift() {
        // Evidently #50: at 200,000 rows a 0.03-sd shift is significant (D ≈ 0.012 against a 5% critical
        // value of 1.36/√18,182 ≈ 0.010) but negligible: below the warning distance 0.025
        NumericSummary reference = normalGrid(20_000, 0);
        FeatureDriftVerdict v =
                only(rule.judge(List.of(new FeatureComparison("x", reference, normalGrid(200_000, 0.03)))));
        assertThat(v.pValue().getAsDouble()).as("raw p-value").isLessThan(0.05);
        assertThat(v.effectSize()).isBetween(0.010, 0.014);
        assertThat(v.status()).isEqualTo(FeatureDriftStatus.OK);
    }

    @Test
    void shouldWarnBetweenTheWarningAndTheDriftDistance() {
        NumericSummary reference = normalGrid(20_000, 0);
        // δ = 0.1 sd: D ≈ 0.040, in [0.025, 0.05)
        FeatureDriftVerdict warning =
                only(rule.judge(List.of(new FeatureComparison("x", reference, normalGrid(200_000, 0.1)))));
        assertThat(warning.effectSize()).isBetween(0.025, 0.05);
        assertThat(warning.status()).isEqualTo(FeatureDriftStatus.WARNING);
        // δ = 0.2 sd: D ≈ 0.080
        FeatureDriftVerdict drift =
                only(rule.judge(List.of(new FeatureComparison("x", reference, normalGrid(200_000, 0.2)))));
        assertThat(drift.status()).isEqualTo(FeatureDriftStatus.DRIFT);
        assertThat(drift.measurement(DriftTestKind.WASSERSTEIN).orElseThrow().effectSize())
                .as("Wasserstein in reference sd, reported")
                .isCloseTo(0.2, offset(0.005));
        assertThat(drift.measurement(DriftTestKind.POPULATION_STABILITY_INDEX)).isPresent();
    }

    @Test
    void shouldCorrectPValuesAcrossTheModelsFeaturesWithBenjaminiHochberg() {
        // shares 0.5 / 0.5 against 282 / 218 of 500: χ² p = 0.0104, JS = 0.0545 (SciPy), drift on its own
        CategoricalSummary reference = CategoricalSummary.ofCounts(Map.of("a", 1000L, "b", 1000L));
        CategoricalSummary moved = CategoricalSummary.ofCounts(Map.of("a", 282L, "b", 218L));
        FeatureDriftVerdict alone = only(rule.judge(List.of(new FeatureComparison("c", reference, moved))));
        assertThat(alone.pValue().getAsDouble()).isCloseTo(0.010441965197265748, offset(1e-9));
        assertThat(alone.status()).isEqualTo(FeatureDriftStatus.DRIFT);

        // among 20 features, the other 19 unchanged (p = 1): adjusted p = 0.0104 × 20 / 1 = 0.209
        List<FeatureComparison> model = new ArrayList<>();
        model.add(new FeatureComparison("c", reference, moved));
        for (int i = 0; i < 19; i++) {
            model.add(new FeatureComparison("same-" + i, reference, reference));
        }
        DatasetDriftVerdict verdict = rule.judge(model);
        FeatureDriftVerdict c = verdict.features().getFirst();
        assertThat(c.adjustedPValue().getAsDouble()).isCloseTo(0.010441965197265748 * 20, offset(1e-9));
        assertThat(c.status()).isEqualTo(FeatureDriftStatus.OK);
        assertThat(verdict.status()).isEqualTo(FeatureDriftStatus.OK);
    }

    @Test
    void shouldLeaveInsufficientFeaturesOutOfTheCorrection() {
        CategoricalSummary reference = CategoricalSummary.ofCounts(Map.of("a", 1000L, "b", 1000L));
        CategoricalSummary moved = CategoricalSummary.ofCounts(Map.of("a", 282L, "b", 218L));
        CategoricalSummary tiny = CategoricalSummary.ofCounts(Map.of("a", 10L));
        DatasetDriftVerdict verdict = rule.judge(
                List.of(new FeatureComparison("c", reference, moved), new FeatureComparison("tiny", reference, tiny)));
        assertThat(verdict.evaluatedFeatures()).isEqualTo(1);
        assertThat(verdict.features().get(0).status()).isEqualTo(FeatureDriftStatus.DRIFT);
        assertThat(verdict.features().get(1).status()).isEqualTo(FeatureDriftStatus.INSUFFICIENT_DATA);
    }

    @Test
    void shouldCallTheWindowDriftingFromTheConfiguredShareOfDriftingFeatures() {
        NumericSummary reference = normalGrid(5000, 0);
        NumericSummary same = normalGrid(5000, 0);
        NumericSummary moved = normalGrid(5000, 0.5);
        DatasetDriftVerdict half = rule.judge(List.of(
                new FeatureComparison("a", reference, moved),
                new FeatureComparison("b", reference, moved),
                new FeatureComparison("c", reference, same),
                new FeatureComparison("d", reference, same)));
        assertThat(half.driftingFeatures()).isEqualTo(2);
        assertThat(half.driftingShare()).isEqualTo(0.5);
        assertThat(half.status()).isEqualTo(FeatureDriftStatus.DRIFT);

        DatasetDriftVerdict quarter = rule.judge(List.of(
                new FeatureComparison("a", reference, moved),
                new FeatureComparison("b", reference, same),
                new FeatureComparison("c", reference, same),
                new FeatureComparison("d", reference, same)));
        assertThat(quarter.status()).isEqualTo(FeatureDriftStatus.WARNING);
        assertThat(rule.judge(List.of()).status()).isEqualTo(FeatureDriftStatus.INSUFFICIENT_DATA);
    }

    @Test
    void shouldNeverLetSketchErrorAloneCrossAThreshold() {
        // exact: D ≈ 0.040 at n = 20,000 each, p ≈ 1e-14: a warning
        NumericSummary reference = normalGrid(20_000, 0);
        NumericSummary window = normalGrid(20_000, 0.1);
        assertThat(only(rule.judge(List.of(new FeatureComparison("x", reference, window))))
                        .status())
                .isEqualTo(FeatureDriftStatus.WARNING);
        // the same values behind sketches of rank error 0.02 each: D could be 0, so nothing is claimed
        FeatureDriftVerdict sketched = only(rule.judge(List.of(new FeatureComparison(
                "x", new Samples.Approximate(reference, 0.02), new Samples.Approximate(window, 0.02)))));
        assertThat(sketched.effectSizeLowerBound()).isZero();
        assertThat(sketched.pValue().getAsDouble()).isEqualTo(1.0);
        assertThat(sketched.status()).isEqualTo(FeatureDriftStatus.OK);
    }

    /** n values, the first {@code ones} of them 1 and the rest 0: a flag feature. */
    private static NumericSummary flags(int n, int ones) {
        double[] values = new double[n];
        java.util.Arrays.fill(values, 0, ones, 1.0);
        return NumericSummary.exact(values);
    }

    @Test
    void shouldJudgeANumericFeatureWithFewValuesByItsSharesLikeACategory() {
        // a 0/1 flag whose share of ones moves from 50% to 60% over 1,000 values each
        FeatureDriftVerdict verdict =
                only(rule.judge(List.of(new FeatureComparison("flag", flags(1000, 500), flags(1000, 600)))));
        assertThat(verdict.kind()).isEqualTo(FeatureKind.NUMERIC);
        assertThat(verdict.significanceTest()).isEqualTo(DriftTestKind.CHI_SQUARED);
        assertThat(verdict.effectSizeMeasure()).isEqualTo(DriftTestKind.JENSEN_SHANNON);
        // 2x2 χ² = 1000·1000·(0.6−0.5)²/(2000·0.55·0.45) ≈ 20.2, p ≈ 7e-6; JS distance ≈ 0.085
        assertThat(verdict.pValue().getAsDouble()).isLessThan(1e-4);
        assertThat(verdict.effectSize()).isCloseTo(0.0854, offset(0.001));
        assertThat(verdict.status()).isEqualTo(FeatureDriftStatus.DRIFT);

        FeatureDriftVerdict stable =
                only(rule.judge(List.of(new FeatureComparison("flag", flags(1000, 500), flags(1000, 505)))));
        assertThat(stable.status()).isEqualTo(FeatureDriftStatus.OK);
    }

    @Test
    void shouldCountWindowValuesTheReferenceNeverHeldAsOneMoreCategory() {
        double[] window = new double[1000];
        java.util.Arrays.fill(window, 0, 450, 1.0);
        java.util.Arrays.fill(window, 900, 1000, 7.0); // a value the flag never took
        FeatureDriftVerdict verdict = only(
                rule.judge(List.of(new FeatureComparison("flag", flags(1000, 500), NumericSummary.exact(window)))));
        assertThat(verdict.significanceTest()).isEqualTo(DriftTestKind.CHI_SQUARED);
        assertThat(verdict.status()).isEqualTo(FeatureDriftStatus.DRIFT);
    }

    @Test
    void shouldKeepKolmogorovSmirnovForManyValuesOrWhenTheCutIsOff() {
        assertThat(only(rule.judge(List.of(new FeatureComparison("x", normalGrid(1000, 0), normalGrid(1000, 0)))))
                        .significanceTest())
                .isEqualTo(DriftTestKind.KOLMOGOROV_SMIRNOV);
        DriftRuleSettings d = DriftRuleSettings.defaults();
        DriftRule off = new DriftRule(new DriftRuleSettings(
                d.falseDiscoveryRate(),
                d.minWindowCount(),
                d.minReferenceCount(),
                d.numericDriftDistance(),
                d.numericWarningDistance(),
                d.categoricalDriftDistance(),
                d.categoricalWarningDistance(),
                d.minExpectedCount(),
                d.exactKsMaxProduct(),
                d.psiBins(),
                d.datasetDriftShare(),
                0));
        assertThat(only(off.judge(List.of(new FeatureComparison("flag", flags(1000, 500), flags(1000, 600)))))
                        .significanceTest())
                .isEqualTo(DriftTestKind.KOLMOGOROV_SMIRNOV);
    }

    @Test
    void shouldRejectSettingsThatContradictThemselves() {
        assertThatThrownBy(() -> new DriftRuleSettings(0.05, 100, 100, 0.05, 0.06, 0.05, 0.025, 5, 1000, 10, 0.5, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("numericWarningDistance");
        assertThatThrownBy(() -> new DriftRuleSettings(1.5, 100, 100, 0.05, 0.025, 0.05, 0.025, 5, 1000, 10, 0.5, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("falseDiscoveryRate");
    }

    @Test
    void shouldRefuseAFeatureGivenTwiceOrOfTwoKinds() {
        NumericSummary n = normalGrid(200, 0);
        assertThatThrownBy(
                        () -> rule.judge(List.of(new FeatureComparison("x", n, n), new FeatureComparison("x", n, n))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> new FeatureComparison("x", n, CategoricalSummary.ofCounts(Map.of("a", 1L))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUMERIC");
    }
}
