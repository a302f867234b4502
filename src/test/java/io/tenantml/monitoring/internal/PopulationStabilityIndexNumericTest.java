package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.DriftTest;
import io.tenantml.monitoring.DriftTestContract;
import io.tenantml.monitoring.FeatureSummary;
import io.tenantml.monitoring.NumericSummary;
import java.util.Optional;

/** PSI on numeric features, through the same contract. */
class PopulationStabilityIndexNumericTest extends DriftTestContract<FeatureSummary> {

    private final DriftTest<FeatureSummary> test = new PopulationStabilityIndexDriftTest(10);

    @Override
    protected DriftTest<FeatureSummary> test() {
        return test;
    }

    @Override
    protected FeatureSummary sample(long seed, int n, boolean shifted) {
        return Samples.normal(seed, n, shifted);
    }

    @Override
    protected Optional<FeatureSummary> approximate(FeatureSummary exact) {
        return Samples.approximate((NumericSummary) exact).map(FeatureSummary.class::cast);
    }

    @Override
    protected double largeEffect() {
        return 1.0;
    }
}
