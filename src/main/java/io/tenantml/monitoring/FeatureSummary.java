package io.tenantml.monitoring;

/**
 * What the drift statistics know of one feature in one population (the training reference or a window of
 * traffic): exact counts, and either exact values or a sketch of them. Missing values are not part of a
 * summary (they are a skew signal, counted apart).
 */
public sealed interface FeatureSummary permits NumericSummary, CategoricalSummary {

    /** Number of (non-missing) values summarised; exact even when the values are sketched. */
    long count();

    FeatureKind kind();
}
