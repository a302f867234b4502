package io.tenantml.monitoring;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One feature's verdict in one window, with everything it was decided on.
 *
 * @param feature the feature's name
 * @param kind numeric or categorical
 * @param status the verdict
 * @param referenceCount values in the reference
 * @param windowCount values in the window
 * @param significanceTest the test whose p-value decided significance (KS or χ²)
 * @param pValue its raw p-value (empty when there was not enough data)
 * @param adjustedPValue Benjamini–Hochberg adjusted across the model's evaluated features
 * @param effectSizeMeasure the measure compared with the thresholds (KS distance or JS distance)
 * @param effectSize its value
 * @param effectSizeLowerBound its value less sketch error, the one compared with the thresholds
 * @param warningThreshold effect size from which a significant feature is a warning
 * @param driftThreshold effect size from which a significant feature is drift
 * @param measurements every test's measurement (including Wasserstein and PSI, reported)
 */
public record FeatureDriftVerdict(
        String feature,
        FeatureKind kind,
        FeatureDriftStatus status,
        long referenceCount,
        long windowCount,
        DriftTestKind significanceTest,
        OptionalDouble pValue,
        OptionalDouble adjustedPValue,
        DriftTestKind effectSizeMeasure,
        double effectSize,
        double effectSizeLowerBound,
        double warningThreshold,
        double driftThreshold,
        List<DriftMeasurement> measurements) {

    public FeatureDriftVerdict {
        measurements = List.copyOf(measurements);
    }

    public Optional<DriftMeasurement> measurement(DriftTestKind test) {
        return measurements.stream().filter(m -> m.test() == test).findFirst();
    }
}
