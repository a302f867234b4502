package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.DriftMeasurement;
import io.tenantml.monitoring.DriftTest;
import io.tenantml.monitoring.DriftTestKind;
import io.tenantml.monitoring.FeatureKind;
import io.tenantml.monitoring.NumericSummary;

/**
 * Wasserstein-1 distance. Effect size: W1 over the reference's standard deviation ("how far the mass moved,
 * in reference standard deviations"; W1 itself when the reference is constant). Sketch error bound:
 * (ε_ref + ε_window)·(pooled range)/σ_ref, subtracted for the lower bound.
 */
public final class WassersteinDriftTest implements DriftTest<NumericSummary> {

    @Override
    public DriftTestKind kind() {
        return DriftTestKind.WASSERSTEIN;
    }

    @Override
    public boolean accepts(FeatureKind kind) {
        return kind == FeatureKind.NUMERIC;
    }

    @Override
    public boolean symmetric() {
        return true; // the statistic; the effect size is scaled by the reference's spread
    }

    @Override
    public DriftMeasurement measure(NumericSummary reference, NumericSummary window) {
        if (reference.count() == 0 || window.count() == 0) {
            throw new IllegalArgumentException("both summaries must hold values");
        }
        double w = DriftStatistics.wasserstein(reference, window);
        double scale = reference.standardDeviation() > 0 ? reference.standardDeviation() : 1.0;
        double effect = w / scale;
        double range = Math.max(reference.max(), window.max()) - Math.min(reference.min(), window.min());
        double error = (reference.rankError() + window.rankError()) * range / scale;
        return DriftMeasurement.distance(kind(), w, effect, Math.max(0.0, effect - error));
    }
}
