package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.CategoricalSummary;
import io.tenantml.monitoring.DriftTest;
import io.tenantml.monitoring.DriftTestContract;
import io.tenantml.monitoring.FeatureSummary;
import java.util.Optional;

/** PSI on categorical features, through the same contract. */
class PopulationStabilityIndexCategoricalTest extends DriftTestContract<FeatureSummary> {

    private final DriftTest<FeatureSummary> test = new PopulationStabilityIndexDriftTest(10);

    @Override
    protected DriftTest<FeatureSummary> test() {
        return test;
    }

    @Override
    protected FeatureSummary sample(long seed, int n, boolean shifted) {
        return Samples.categories(seed, n, shifted);
    }

    @Override
    protected Optional<FeatureSummary> approximate(FeatureSummary exact) {
        return Samples.approximate((CategoricalSummary) exact).map(FeatureSummary.class::cast);
    }

    @Override
    protected double largeEffect() {
        return 0.5;
    }
}
