package io.tenantml.monitoring;

import java.util.List;

/**
 * A whole window's verdict for one model.
 *
 * @param status {@code DRIFT} when the share of drifting features reaches the setting; {@code WARNING}
 *     when any feature drifts or warns; {@code INSUFFICIENT_DATA} when no feature could be evaluated
 * @param evaluatedFeatures features with enough data
 * @param driftingFeatures features in {@code DRIFT}
 * @param driftingShare driftingFeatures / evaluatedFeatures (0 when none evaluated)
 * @param features every feature's verdict, in the order given
 * @param settings the thresholds applied
 */
public record DatasetDriftVerdict(
        FeatureDriftStatus status,
        int evaluatedFeatures,
        int driftingFeatures,
        double driftingShare,
        List<FeatureDriftVerdict> features,
        DriftRuleSettings settings) {

    public DatasetDriftVerdict {
        features = List.copyOf(features);
    }
}
