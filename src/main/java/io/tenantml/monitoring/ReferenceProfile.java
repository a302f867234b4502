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
        ReferenceProvenance provenance,
        ValidationSample validationSample) {

    public ReferenceProfile {
        features = List.copyOf(Objects.requireNonNull(features, "features"));
        Objects.requireNonNull(validation, "validation");
        metrics = Map.copyOf(Objects.requireNonNull(metrics, "metrics"));
        Objects.requireNonNull(provenance, "provenance");
    }

    /** A profile without validation rows row by row (regression, and versions trained before they were kept). */
    public ReferenceProfile(
            List<FeatureReference> features,
            ValidationReference validation,
            Map<String, MetricEstimate> metrics,
            ReferenceProvenance provenance) {
        this(features, validation, metrics, provenance, null);
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
                        createdAt),
                validationSample);
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
     * A classifier's validation rows row by row: each row's label beside the model's outputs for it, what
     * performance estimation without labels (CBPE) calibrates the scores on. All validation rows up to
     * {@link #MAX_ROWS}; beyond, a sample of that many drawn without replacement, seeded by the training's seed.
     *
     * @param labels  per row: the class index (binary: 1 = positive)
     * @param outputs per row: the model's outputs as the prediction log keeps them (binary: the positive
     *                class's probability; multiclass: the class probabilities in the target's class order)
     */
    public record ValidationSample(float[] labels, float[][] outputs) {

        public static final int MAX_ROWS = 100_000;

        public ValidationSample {
            Objects.requireNonNull(labels, "labels");
            Objects.requireNonNull(outputs, "outputs");
            if (labels.length != outputs.length) {
                throw new IllegalArgumentException(labels.length + " labels but " + outputs.length + " outputs");
            }
            if (labels.length > MAX_ROWS) {
                throw new IllegalArgumentException("at most " + MAX_ROWS + " rows, got " + labels.length);
            }
            int width = outputs.length == 0 ? 0 : outputs[0].length;
            for (int i = 0; i < outputs.length; i++) {
                if (outputs[i].length != width) {
                    throw new IllegalArgumentException(
                            "row " + i + " has " + outputs[i].length + " outputs, row 0 has " + width);
                }
            }
        }

        public int rows() {
            return labels.length;
        }

        public int width() {
            return outputs.length == 0 ? 0 : outputs[0].length;
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
