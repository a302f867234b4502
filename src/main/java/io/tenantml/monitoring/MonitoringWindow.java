package io.tenantml.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One monitoring window of one model version, judged against the version's reference profile: what the
 * monitoring endpoints answer. Built in one place ({@code internal.WindowEvaluator}), so a further signal
 * (realised performance) is one more component and one more argument there.
 *
 * @param start the window's start (UTC hour, day, or Monday of the week)
 * @param end the end of what was profiled: the window's end, or earlier for a window closed early or
 *     still open
 * @param records logged predictions in the window (refused ones included)
 * @param scoredRecords of which scored (the others were refused and count for skew only)
 * @param representedPredictions the predictions those records stand for: each logged record counts its
 *     "one in N" of the model's sampling
 * @param sampleRate records / representedPredictions: the share of traffic the window saw
 * @param status the dataset-level verdict (see {@link DatasetDrift})
 * @param features per feature, its verdict and everything it was decided on
 * @param prediction prediction drift: the model's outputs against its outputs on the validation rows
 * @param skew per input column, training–serving skew rates
 * @param thresholds the decision rule's settings applied
 * @param performance the version's performance on the predictions made in [start, end): realised from the
 *     feedback labels that answer them, estimated from their scores alone (CBPE, classifiers), and the
 *     version's validation metrics beside them; absent where the window was judged for a run's record only
 * @param note why a window could not be judged (e.g. {@code no-reference}); absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MonitoringWindow(
        String model,
        int version,
        WindowGranularity granularity,
        Instant start,
        Instant end,
        long records,
        long scoredRecords,
        long representedPredictions,
        double sampleRate,
        FeatureDriftStatus status,
        DatasetDrift dataset,
        List<FeatureDrift> features,
        PredictionDrift prediction,
        List<FeatureSkew> skew,
        DriftRuleSettings thresholds,
        String note,
        PerformanceAssessment performance) {

    /** The same window with its performance (a window judged for a run's record has none; a listener may add it). */
    public MonitoringWindow withPerformance(PerformanceAssessment assessed) {
        return new MonitoringWindow(
                model,
                version,
                granularity,
                start,
                end,
                records,
                scoredRecords,
                representedPredictions,
                sampleRate,
                status,
                dataset,
                features,
                prediction,
                skew,
                thresholds,
                note,
                assessed);
    }

    /**
     * Dataset-level drift: {@code drift} when the share of evaluated features in drift reaches
     * {@code driftShareThreshold}, {@code warning} when any feature drifts or warns.
     */
    public record DatasetDrift(
            FeatureDriftStatus status,
            int evaluatedFeatures,
            int driftingFeatures,
            double driftingShare,
            double driftShareThreshold) {}

    /**
     * One feature's (or output's) verdict.
     *
     * @param column the input column it comes from (null for outputs)
     * @param test the test whose p-value decided significance
     * @param statistic that test's statistic (KS D or χ²)
     * @param pValue its raw p-value; absent when there was not enough data
     * @param adjustedPValue Benjamini–Hochberg adjusted across the model's evaluated features
     * @param effectSizeLowerBound the effect size less sketch error: the one compared with the thresholds
     * @param referenceCount non-missing values in the reference
     * @param windowCount non-missing values in the window
     * @param windowMissing missing values in the window
     * @param measurements every test's measurement (Wasserstein and PSI reported too)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FeatureDrift(
            String feature,
            String column,
            FeatureKind kind,
            FeatureDriftStatus status,
            DriftTestKind test,
            Double statistic,
            Double pValue,
            Double adjustedPValue,
            DriftTestKind effectSizeMeasure,
            double effectSize,
            double effectSizeLowerBound,
            double warningThreshold,
            double driftThreshold,
            long referenceCount,
            long windowCount,
            long windowMissing,
            List<Measurement> measurements) {}

    /** One test's measurement; {@code pValue} absent for distances. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Measurement(
            DriftTestKind test,
            double statistic,
            Double pValue,
            PValueMethod pValueMethod,
            double effectSize,
            double effectSizeLowerBound,
            Integer degreesOfFreedom) {}

    /**
     * Prediction drift: each output's distribution against the version's outputs on its validation rows
     * (Benjamini–Hochberg across the outputs), and for classifiers the shares of predicted classes.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PredictionDrift(
            FeatureDriftStatus status, List<FeatureDrift> outputs, Map<String, Double> predictedClasses) {}

    /**
     * Training–serving skew of one input column in the window: the share of records whose raw value was
     * missing, an unseen category, outside the training rows' range, or of a type or value ingestion would
     * refuse; beside it the share of training rows where the column was missing.
     */
    public record FeatureSkew(
            String column,
            long records,
            double missingRate,
            double unseenCategoryRate,
            double outOfRangeRate,
            double refusedRate,
            double trainingMissingRate) {}
}
