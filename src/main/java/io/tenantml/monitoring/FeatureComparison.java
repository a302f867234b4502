package io.tenantml.monitoring;

import java.util.Objects;

/** One feature of a model: its training reference and the window to judge. */
public record FeatureComparison(String feature, FeatureSummary reference, FeatureSummary window) {

    public FeatureComparison {
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(window, "window");
        if (reference.kind() != window.kind()) {
            throw new IllegalArgumentException(
                    "feature '" + feature + "': reference is " + reference.kind() + ", window " + window.kind());
        }
    }

    public FeatureKind kind() {
        return reference.kind();
    }
}
