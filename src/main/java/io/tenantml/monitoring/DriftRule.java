package io.tenantml.monitoring;

import io.tenantml.monitoring.internal.DriftStatistics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The drift decision for one model's window (docs/architecture.md, "Drift decision"):
 * <ol>
 *   <li>a feature with fewer than the minimum values in the window or the reference is
 *       {@code INSUFFICIENT_DATA} and takes no part in what follows;</li>
 *   <li>significance: numeric features by KS (exact p for small samples, asymptotic beyond), categorical
 *       ones and numeric ones with only a few distinct reference values by χ² of homogeneity (sparse
 *       categories pooled); the p-values of all evaluated features are adjusted together with
 *       Benjamini–Hochberg;</li>
 *   <li>effect size: KS distance (numeric) or Jensen–Shannon distance (categorical, discrete numeric), less
 *       sketch error;</li>
 *   <li>{@code DRIFT} when significant and the effect reaches the drift threshold, {@code WARNING} when
 *       significant and it reaches the warning threshold, else {@code OK};</li>
 *   <li>the window: {@code DRIFT} when the share of drifting features reaches the setting.</li>
 * </ol>
 * Wasserstein (in reference standard deviations) and PSI are measured and reported for every feature.
 * Immutable and thread-safe.
 */
public final class DriftRule {

    private final DriftRuleSettings settings;
    private final DriftTest<NumericSummary> kolmogorovSmirnov;
    private final DriftTest<NumericSummary> wasserstein;
    private final DriftTest<CategoricalSummary> chiSquared;
    private final DriftTest<CategoricalSummary> jensenShannon;
    private final DriftTest<FeatureSummary> psi;

    public DriftRule(DriftRuleSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.kolmogorovSmirnov = DriftTests.kolmogorovSmirnov(settings.exactKsMaxProduct());
        this.wasserstein = DriftTests.wasserstein();
        this.chiSquared = DriftTests.chiSquared(settings.minExpectedCount());
        this.jensenShannon = DriftTests.jensenShannon();
        this.psi = DriftTests.populationStabilityIndex(settings.psiBins());
    }

    public DriftRuleSettings settings() {
        return settings;
    }

    public DatasetDriftVerdict judge(List<FeatureComparison> comparisons) {
        Objects.requireNonNull(comparisons, "comparisons");
        Set<String> names = new HashSet<>();
        for (FeatureComparison c : comparisons) {
            if (!names.add(c.feature())) {
                throw new IllegalArgumentException("feature '" + c.feature() + "' is given twice");
            }
        }
        List<Measured> measured = new ArrayList<>();
        List<Integer> evaluated = new ArrayList<>();
        for (FeatureComparison c : comparisons) {
            Measured m = measure(c);
            if (m.sufficient) {
                evaluated.add(measured.size());
            }
            measured.add(m);
        }
        double[] raw = new double[evaluated.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = measured.get(evaluated.get(i)).pValue;
        }
        double[] adjusted = DriftStatistics.benjaminiHochberg(raw);
        List<FeatureDriftVerdict> verdicts = new ArrayList<>();
        int drifting = 0;
        boolean anyAlert = false;
        for (int i = 0, e = 0; i < measured.size(); i++) {
            Measured m = measured.get(i);
            if (m.sufficient) {
                double q = adjusted[e++];
                FeatureDriftStatus status = decide(q, m);
                drifting += status == FeatureDriftStatus.DRIFT ? 1 : 0;
                anyAlert |= status == FeatureDriftStatus.DRIFT || status == FeatureDriftStatus.WARNING;
                verdicts.add(m.verdict(status, OptionalDouble.of(m.pValue), OptionalDouble.of(q)));
            } else {
                verdicts.add(m.verdict(
                        FeatureDriftStatus.INSUFFICIENT_DATA, OptionalDouble.empty(), OptionalDouble.empty()));
            }
        }
        int evaluatedCount = evaluated.size();
        double share = evaluatedCount == 0 ? 0.0 : (double) drifting / evaluatedCount;
        FeatureDriftStatus overall;
        if (evaluatedCount == 0) {
            overall = FeatureDriftStatus.INSUFFICIENT_DATA;
        } else if (drifting > 0 && share >= settings.datasetDriftShare()) {
            overall = FeatureDriftStatus.DRIFT;
        } else if (anyAlert) {
            overall = FeatureDriftStatus.WARNING;
        } else {
            overall = FeatureDriftStatus.OK;
        }
        return new DatasetDriftVerdict(overall, evaluatedCount, drifting, share, verdicts, settings);
    }

    private FeatureDriftStatus decide(double adjustedPValue, Measured m) {
        if (adjustedPValue >= settings.falseDiscoveryRate()) {
            return FeatureDriftStatus.OK;
        }
        if (m.effect.effectSizeLowerBound() >= m.driftThreshold) {
            return FeatureDriftStatus.DRIFT;
        }
        if (m.effect.effectSizeLowerBound() >= m.warningThreshold) {
            return FeatureDriftStatus.WARNING;
        }
        return FeatureDriftStatus.OK;
    }

    private Measured measure(FeatureComparison c) {
        FeatureSummary reference = c.reference();
        FeatureSummary window = c.window();
        boolean sufficient =
                window.count() >= settings.minWindowCount() && reference.count() >= settings.minReferenceCount();
        boolean discrete = c.kind() == FeatureKind.NUMERIC && isDiscrete((NumericSummary) reference);
        boolean numeric = c.kind() == FeatureKind.NUMERIC && !discrete;
        DriftTestKind significanceTest = numeric ? DriftTestKind.KOLMOGOROV_SMIRNOV : DriftTestKind.CHI_SQUARED;
        DriftTestKind effectMeasure = numeric ? DriftTestKind.KOLMOGOROV_SMIRNOV : DriftTestKind.JENSEN_SHANNON;
        double drift = numeric ? settings.numericDriftDistance() : settings.categoricalDriftDistance();
        double warning = numeric ? settings.numericWarningDistance() : settings.categoricalWarningDistance();
        if (reference.count() == 0 || window.count() == 0) {
            return new Measured(c, false, significanceTest, effectMeasure, Double.NaN, null, List.of(), drift, warning);
        }
        List<DriftMeasurement> measurements = new ArrayList<>();
        DriftMeasurement significance;
        DriftMeasurement effect;
        if (numeric) {
            NumericSummary r = (NumericSummary) reference;
            NumericSummary w = (NumericSummary) window;
            significance = kolmogorovSmirnov.measure(r, w);
            effect = significance;
            measurements.add(significance);
            measurements.add(wasserstein.measure(r, w));
        } else {
            CategoricalSummary r;
            CategoricalSummary w;
            if (discrete) {
                double[] values = ((NumericSummary) reference).supportPoints();
                r = DiscreteValues.counts((NumericSummary) reference, values);
                w = DiscreteValues.counts((NumericSummary) window, values);
            } else {
                r = (CategoricalSummary) reference;
                w = (CategoricalSummary) window;
            }
            significance = chiSquared.measure(r, w);
            effect = jensenShannon.measure(r, w);
            measurements.add(significance);
            measurements.add(effect);
            if (discrete) {
                measurements.add(wasserstein.measure((NumericSummary) reference, (NumericSummary) window));
            }
        }
        measurements.add(psi.measure(reference, window));
        double p = significance.pValue().orElseThrow();
        return new Measured(c, sufficient, significanceTest, effectMeasure, p, effect, measurements, drift, warning);
    }

    private boolean isDiscrete(NumericSummary reference) {
        return reference.count() > 0 && reference.supportPoints().length <= settings.discreteNumericMaxValues();
    }

    private record Measured(
            FeatureComparison comparison,
            boolean sufficient,
            DriftTestKind significanceTest,
            DriftTestKind effectMeasure,
            double pValue,
            DriftMeasurement effect,
            List<DriftMeasurement> measurements,
            double driftThreshold,
            double warningThreshold) {

        FeatureDriftVerdict verdict(FeatureDriftStatus status, OptionalDouble p, OptionalDouble q) {
            double effectSize = effect == null ? 0.0 : effect.effectSize();
            double lower = effect == null ? 0.0 : effect.effectSizeLowerBound();
            return new FeatureDriftVerdict(
                    comparison.feature(),
                    comparison.kind(),
                    status,
                    comparison.reference().count(),
                    comparison.window().count(),
                    significanceTest,
                    p,
                    q,
                    effectMeasure,
                    effectSize,
                    lower,
                    warningThreshold,
                    driftThreshold,
                    measurements);
        }
    }
}
