package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.DriftTest;
import io.tenantml.monitoring.DriftTestContract;
import io.tenantml.monitoring.NumericSummary;
import java.util.Optional;

class KolmogorovSmirnovDriftTestTest extends DriftTestContract<NumericSummary> {

    private final DriftTest<NumericSummary> test = new KolmogorovSmirnovDriftTest(10_000_000);

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
        return 0.4;
    }

    @Override
    protected double maxEffect() {
        return 1.0;
    }
}
