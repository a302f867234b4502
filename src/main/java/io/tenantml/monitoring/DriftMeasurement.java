package io.tenantml.monitoring;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What one drift test says about one feature in one window.
 *
 * @param test which test
 * @param statistic the test's statistic (D, W1 in the feature's units, χ², JS distance, PSI)
 * @param pValue the p-value, for tests that give one; from sketches it is the p-value of the smallest
 *     statistic the sketches allow, so sketch error can weaken a verdict but never create one
 * @param pValueMethod how the p-value was obtained
 * @param effectSize the test's effect size on a scale that does not grow with the sample (D, W1 over the
 *     reference standard deviation, √(χ²/effective n), JS distance, PSI)
 * @param effectSizeLowerBound the smallest effect size consistent with the inputs' stated sketch errors
 *     (equal to {@code effectSize} for exact inputs); decisions compare this one with thresholds
 * @param degreesOfFreedom χ² degrees of freedom after pooling sparse categories; 0 for other tests
 */
public record DriftMeasurement(
        DriftTestKind test,
        double statistic,
        OptionalDouble pValue,
        PValueMethod pValueMethod,
        double effectSize,
        double effectSizeLowerBound,
        int degreesOfFreedom) {

    public DriftMeasurement {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(pValue, "pValue");
        Objects.requireNonNull(pValueMethod, "pValueMethod");
        if (Double.isNaN(statistic)) {
            throw new IllegalArgumentException("statistic of " + test + " is NaN");
        }
        if (pValue.isPresent() && !(pValue.getAsDouble() >= 0 && pValue.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("p-value of " + test + " outside [0, 1]: " + pValue.getAsDouble());
        }
        if (pValue.isPresent() == (pValueMethod == PValueMethod.NONE)) {
            throw new IllegalArgumentException(
                    "pValueMethod " + pValueMethod + " does not match the p-value of " + test);
        }
        if (effectSizeLowerBound > effectSize) {
            throw new IllegalArgumentException("effect size lower bound above the effect size for " + test);
        }
    }

    /** A distance without p-value. */
    public static DriftMeasurement distance(
            DriftTestKind test, double statistic, double effectSize, double lowerBound) {
        return new DriftMeasurement(
                test, statistic, OptionalDouble.empty(), PValueMethod.NONE, effectSize, lowerBound, 0);
    }
}
