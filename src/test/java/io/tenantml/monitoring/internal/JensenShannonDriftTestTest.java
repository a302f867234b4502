package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.CategoricalSummary;
import io.tenantml.monitoring.DriftTest;
import io.tenantml.monitoring.DriftTestContract;
import java.util.Optional;

class JensenShannonDriftTestTest extends DriftTestContract<CategoricalSummary> {

    private final DriftTest<CategoricalSummary> test = new JensenShannonDriftTest();

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
        return 0.2;
    }

    @Override
    protected double maxEffect() {
        return 1.0;
    }
}
