package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.CategoricalSummary;
import io.tenantml.monitoring.DriftMeasurement;
import io.tenantml.monitoring.DriftTest;
import io.tenantml.monitoring.DriftTestKind;
import io.tenantml.monitoring.FeatureKind;

/**
 * Jensen–Shannon distance (base 2) over the union of categories. With approximate counts the lower bound
 * subtracts √δ_ref + √δ_window, δ the total-variation error of each side's proportions.
 */
public final class JensenShannonDriftTest implements DriftTest<CategoricalSummary> {

    @Override
    public DriftTestKind kind() {
        return DriftTestKind.JENSEN_SHANNON;
    }

    @Override
    public boolean accepts(FeatureKind kind) {
        return kind == FeatureKind.CATEGORICAL;
    }

    @Override
    public boolean symmetric() {
        return true;
    }

    @Override
    public DriftMeasurement measure(CategoricalSummary reference, CategoricalSummary window) {
        Categories.requireNonEmpty(reference, window);
        Categories aligned = Categories.align(reference, window);
        double js = DriftStatistics.jensenShannonDistance(aligned.reference(), aligned.window());
        double error = Math.sqrt(Categories.totalVariationError(reference))
                + Math.sqrt(Categories.totalVariationError(window));
        return DriftMeasurement.distance(kind(), js, js, Math.max(0.0, js - error));
    }
}
