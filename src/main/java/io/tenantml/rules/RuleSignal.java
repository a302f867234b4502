package io.tenantml.rules;

import java.util.Arrays;
import java.util.Optional;

/** What a rule watches in a judged window (see {@link Rule#signal()}). */
public enum RuleSignal {
    DATASET_DRIFT("datasetDrift"),
    FEATURE_DRIFT("featureDrift"),
    SKEW("skew"),
    VOLUME_ZERO("volumeZero"),
    /** The window's version scored on feedback labels (see {@link Rule#signal()}). */
    REALISED_PERFORMANCE("realisedPerformance"),
    /** The window's version estimated by CBPE from its scores alone (classifiers). */
    ESTIMATED_PERFORMANCE("estimatedPerformance");

    private final String wireName;

    RuleSignal(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the signal reads the window's performance (metric, floor, margin, minSamples apply). */
    public boolean performance() {
        return this == REALISED_PERFORMANCE || this == ESTIMATED_PERFORMANCE;
    }

    public static Optional<RuleSignal> ofWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wire)).findFirst();
    }
}
