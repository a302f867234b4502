package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.DriftTest;
import io.tenantml.monitoring.DriftTestContract;
import io.tenantml.monitoring.NumericSummary;
import java.util.Optional;

class WassersteinDriftTestTest extends DriftTestContract<NumericSummary> {

    private final DriftTest<NumericSummary> test = new WassersteinDriftTest();

    @Override
    protected DriftTest<NumericSummary> test() {
        return test;
    }

    @Override
    protected NumericSummary sample(long seed, int n, boolean shifted) {
        return Samples.normal(seed, n, shifted);
    }

    @Override
    protected Optional<NumericSummary> approximate(NumericSummary exact) {
        return Samples.approximate(exact);
    }

    @Override
    protected double largeEffect() {
        return 1.2;
    }

    @Override
    protected double maxEffect() {
        return Double.POSITIVE_INFINITY;
    }
}
