package io.tenantml.rules;

import java.util.Arrays;
import java.util.Optional;

/** What a rule watches in a judged window (see {@link Rule#signal()}). */
public enum RuleSignal {
    DATASET_DRIFT("datasetDrift"),
    FEATURE_DRIFT("featureDrift"),
    SKEW("skew"),
    VOLUME_ZERO("volumeZero");

    private final String wireName;

    RuleSignal(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<RuleSignal> ofWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wire)).findFirst();
    }
}
