package io.tenantml.monitoring;

import io.tenantml.statistics.FrequentValuesSketch;
import io.tenantml.statistics.QuantileSketch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a model version was trained on, as monitoring compares serving against it: the training rows in
 * feature space (one sketch per encoded feature), the model's outputs and the labels on the validation rows,
 * and the validation metrics with confidence intervals. Built by training, stored per model version by
 * {@link ReferenceProfiles}; sketches are mergeable and serialised with the statistics package's formats.
 */
public record ReferenceProfile(
        List<FeatureReference> features,
        ValidationReference validation,
        Map<String, MetricEstimate> metrics,
        ReferenceProvenance provenance) {

    public ReferenceProfile {
        features = List.copyOf(Objects.requireNonNull(features, "features"));
        Objects.requireNonNull(validation, "validation");
        metrics = Map.copyOf(Objects.requireNonNull(metrics, "metrics"));
        Objects.requireNonNull(provenance, "provenance");
    }

    /** The same profile with the training's lineage filled in (known to the runner, not to the trainer). */
    public ReferenceProfile withLineage(
            String trainingId, String dataset, int datasetVersion, String datasetSha256, Instant createdAt) {
        ReferenceProvenance p = provenance;
        return new ReferenceProfile(
                features,
                validation,
                metrics,
                new ReferenceProvenance(
                        trainingId,
                        dataset,
                        datasetVersion,
                        datasetSha256,
                        p.trainRows(),
                        p.validationRows(),
                        p.seed(),
                        p.quantileK(),
                        p.frequentItems(),
                        p.bootstrapResamples(),
                        p.method(),
                        createdAt));
    }

    /**
     * One encoded feature of the training rows.
     *
     * @param feature    the feature name (as the transform names it; a timestamp column has four)
     * @param column     the input column it comes from
     * @param rows       training rows seen
     * @param missing    of which missing (NaN)
     * @param quantiles  for {@link FeatureKind#NUMERIC}: the non-missing values (KLL); else null
     * @param categories for {@link FeatureKind#CATEGORICAL}: the non-missing categories by name; else null
     */
    public record FeatureReference(
            String feature,
            String column,
            FeatureKind kind,
            long rows,
            long missing,
            QuantileSketch quantiles,
            FrequentValuesSketch categories) {

        public FeatureReference {
            Objects.requireNonNull(feature, "feature");
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(kind, "kind");
            if ((kind == FeatureKind.NUMERIC) != (quantiles != null)
                    || (kind == FeatureKind.CATEGORICAL) != (categories != null)) {
                throw new IllegalArgumentException("feature '" + feature + "' needs exactly the sketch of its kind");
            }
        }
    }

    /**
     * The model on its validation rows.
     *
     * @param outputNames  one per output: {@code score} (regression, binary) or each class (multiclass)
     * @param outputs      the distribution of each output (KLL), aligned with {@code outputNames}
     * @param labelClasses for classifiers: the labels by class name; null for regression
     * @param labelValues  for regression: the labels (KLL); null for classifiers
     */
    public record ValidationReference(
            long rows,
            List<String> outputNames,
            List<QuantileSketch> outputs,
            FrequentValuesSketch labelClasses,
            QuantileSketch labelValues) {

        public ValidationReference {
            outputNames = List.copyOf(outputNames);
            outputs = List.copyOf(outputs);
            if (outputNames.size() != outputs.size()) {
                throw new IllegalArgumentException(
                        outputs.size() + " output sketches for " + outputNames.size() + " names");
            }
            if ((labelClasses == null) == (labelValues == null)) {
                throw new IllegalArgumentException("exactly one of labelClasses and labelValues");
            }
        }
    }

    /**
     * A validation metric with its confidence interval.
     *
     * @param value      on all validation rows
     * @param lower      the interval's lower end (percentile bootstrap)
     * @param upper      its upper end
     * @param confidence the interval's level, e.g. 0.95
     * @param resamples  bootstrap resamples it was computed from
     */
    public record MetricEstimate(double value, double lower, double upper, double confidence, int resamples) {}

    /**
     * Where the profile came from.
     *
     * @param seed          the bootstrap's seed (the training's seed)
     * @param quantileK     KLL accuracy parameter of the numeric sketches
     * @param frequentItems map size of the frequent-items sketches
     */
    public record ReferenceProvenance(
            String trainingId,
            String dataset,
            int datasetVersion,
            String datasetSha256,
            long trainRows,
            long validationRows,
            long seed,
            int quantileK,
            int frequentItems,
            int bootstrapResamples,
            String method,
            Instant createdAt) {}
}
