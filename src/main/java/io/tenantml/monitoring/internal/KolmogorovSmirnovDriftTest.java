package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.DriftMeasurement;
import io.tenantml.monitoring.DriftTest;
import io.tenantml.monitoring.DriftTestKind;
import io.tenantml.monitoring.FeatureKind;
import io.tenantml.monitoring.NumericSummary;
import io.tenantml.monitoring.PValueMethod;
import java.util.OptionalDouble;

/**
 * Two-sample KS. From sketches the statistic D̂ is within ε_ref + ε_window of D; the p-value and the effect
 * lower bound use D̂ − (ε_ref + ε_window), the smallest D the sketches allow.
 */
public final class KolmogorovSmirnovDriftTest implements DriftTest<NumericSummary> {

    private final long exactMaxProduct;

    public KolmogorovSmirnovDriftTest(long exactMaxProduct) {
        if (exactMaxProduct < 0) {
            throw new IllegalArgumentException("exactMaxProduct must not be negative, was " + exactMaxProduct);
        }
        this.exactMaxProduct = exactMaxProduct;
    }

    @Override
    public DriftTestKind kind() {
        return DriftTestKind.KOLMOGOROV_SMIRNOV;
    }

    @Override
    public boolean accepts(FeatureKind kind) {
        return kind == FeatureKind.NUMERIC;
    }

    @Override
    public boolean symmetric() {
        return true;
    }

    @Override
    public DriftMeasurement measure(NumericSummary reference, NumericSummary window) {
        long n = reference.count();
        long m = window.count();
        if (n == 0 || m == 0) {
            throw new IllegalArgumentException(
                    "both summaries must hold values (reference " + n + ", window " + m + ")");
        }
        double d = DriftStatistics.ksStatistic(reference, window);
        double sketchError = reference.rankError() + window.rankError();
        double lowerBound = Math.max(0.0, d - sketchError);
        double p = Double.NaN;
        PValueMethod method = PValueMethod.EXACT;
        boolean exactInputs = sketchError == 0;
        if (exactInputs && (double) n * m <= exactMaxProduct) {
            p = DriftStatistics.ksPValueExact(lowerBound, n, m);
        }
        if (Double.isNaN(p)) {
            p = DriftStatistics.ksPValueAsymptotic(lowerBound, n, m);
            method = PValueMethod.ASYMPTOTIC;
        }
        return new DriftMeasurement(kind(), d, OptionalDouble.of(p), method, d, lowerBound, 0);
    }
}
