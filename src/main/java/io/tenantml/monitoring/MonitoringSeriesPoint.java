package io.tenantml.monitoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantml.model.Metrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One window of a monitoring series: the window's facts and one signal's numbers, copied from the judged
 * {@link MonitoringWindow} (never computed apart, so a series and the windows list cannot disagree). Exactly one
 * signal component is present, named as the window's field it comes from in the singular where the window holds
 * a list ({@code feature} from {@code features}, {@code skew} from {@code skew}); it is absent where the window
 * has no such value (a version without a reference profile, a feature another version does not have, a window
 * with nothing profiled for performance).
 *
 * @param start the window's start (UTC hour, day, or Monday of the week)
 * @param end the end of what was profiled
 * @param version the model version whose traffic the window holds
 * @param records logged predictions in the window (refused ones included)
 * @param status the window's dataset-level verdict (as the window's {@code status})
 * @param note why the window could not be judged (e.g. {@code no-reference}); absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MonitoringSeriesPoint(
        Instant start,
        Instant end,
        int version,
        long records,
        FeatureDriftStatus status,
        String note,
        DriftPoint feature,
        PredictionDriftPoint prediction,
        MonitoringWindow.FeatureSkew skew,
        MonitoringWindow.DatasetDrift dataset,
        PerformancePoint performance) {

    /**
     * A feature's (or an output's) verdict without its per-test measurements: the numbers a plot draws.
     *
     * @param feature the feature's (or output's) name
     * @param test the test whose p-value decided significance
     * @param statistic that test's statistic
     * @param pValue its raw p-value; absent when there was not enough data
     * @param adjustedPValue Benjamini–Hochberg adjusted across the window's evaluated features (or outputs)
     * @param effectSizeLowerBound the effect size less sketch error: the one compared with the thresholds
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DriftPoint(
            String feature,
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
            long windowCount,
            long windowMissing) {

        static DriftPoint of(MonitoringWindow.FeatureDrift f) {
            return new DriftPoint(
                    f.feature(),
                    f.status(),
                    f.test(),
                    f.statistic(),
                    f.pValue(),
                    f.adjustedPValue(),
                    f.effectSizeMeasure(),
                    f.effectSize(),
                    f.effectSizeLowerBound(),
                    f.warningThreshold(),
                    f.driftThreshold(),
                    f.windowCount(),
                    f.windowMissing());
        }
    }

    /** Prediction drift: the worst output status, each output's verdict, the predicted classes' shares. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PredictionDriftPoint(
            FeatureDriftStatus status, List<DriftPoint> outputs, Map<String, Double> predictedClasses) {

        static PredictionDriftPoint of(MonitoringWindow.PredictionDrift p) {
            return new PredictionDriftPoint(
                    p.status(), p.outputs().stream().map(DriftPoint::of).toList(), p.predictedClasses());
        }
    }

    /**
     * The window's performance without the version's validation figures (the same for every window of a
     * version: see the version itself).
     *
     * @param scoredPredictions logged, scored predictions in the window
     * @param labels predictions with a usable feedback label
     * @param realised metric name to value with its interval, from the labels; empty without labels
     * @param estimated CBPE's metric estimates from the scores alone; absent for regression and for versions
     *     without validation rows row by row
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PerformancePoint(
            long scoredPredictions,
            long labels,
            Map<String, Metrics.Interval> realised,
            Map<String, EstimatedPerformance.EstimatedMetric> estimated) {

        static PerformancePoint of(PerformanceAssessment p) {
            return new PerformancePoint(
                    p.scoredPredictions(),
                    p.realised().labels(),
                    p.realised().metrics(),
                    p.estimated() == null ? null : p.estimated().metrics());
        }
    }

    /** The point of {@code signal} (for {@code name}, when per feature) of a judged window. */
    static MonitoringSeriesPoint of(MonitoringWindow w, MonitoringSignal signal, String name) {
        DriftPoint feature = null;
        PredictionDriftPoint prediction = null;
        MonitoringWindow.FeatureSkew skew = null;
        MonitoringWindow.DatasetDrift dataset = null;
        PerformancePoint performance = null;
        switch (signal) {
            case FEATURES ->
                feature = w.features().stream()
                        .filter(f -> f.feature().equals(name))
                        .findFirst()
                        .map(DriftPoint::of)
                        .orElse(null);
            case PREDICTION -> prediction = w.prediction() == null ? null : PredictionDriftPoint.of(w.prediction());
            case SKEW ->
                skew = w.skew().stream()
                        .filter(s -> s.column().equals(name))
                        .findFirst()
                        .orElse(null);
            case DATASET -> dataset = w.dataset();
            case PERFORMANCE -> performance = w.performance() == null ? null : PerformancePoint.of(w.performance());
        }
        return new MonitoringSeriesPoint(
                w.start(),
                w.end(),
                w.version(),
                w.records(),
                w.status(),
                w.note(),
                feature,
                prediction,
                skew,
                dataset,
                performance);
    }
}
