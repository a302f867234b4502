package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.CategoricalSummary;
import io.tenantml.monitoring.DriftTest;
import io.tenantml.monitoring.DriftTestContract;
import java.util.Optional;

class ChiSquaredDriftTestTest extends DriftTestContract<CategoricalSummary> {

    private final DriftTest<CategoricalSummary> test = new ChiSquaredDriftTest(5);

    @Override
    protected DriftTest<CategoricalSummary> test() {
        return test;
    }

    @Override
    protected CategoricalSummary sample(long seed, int n, boolean shifted) {
        return Samples.categories(seed, n, shifted);
    }

    @Override
    protected Optional<CategoricalSummary> approximate(CategoricalSummary exact) {
        return Samples.approximate(exact);
    }

    @Override
    protected double largeEffect() {
        return 0.25;
    }
}
