package io.tenantml.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.model.Metrics;
import io.tenantml.model.Objective;
import io.tenantml.monitoring.EstimatedPerformance;
import io.tenantml.monitoring.FeatureDriftStatus;
import io.tenantml.monitoring.MonitoringWindow;
import io.tenantml.monitoring.PerformanceAssessment;
import io.tenantml.monitoring.ReferenceProfile;
import io.tenantml.monitoring.WindowGranularity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleSignalsTest {

    private static final Instant T0 = Instant.parse("2026-11-30T06:00:00Z");

    private static MonitoringWindow.FeatureDrift feature(String name, FeatureDriftStatus status) {
        return new MonitoringWindow.FeatureDrift(
                name, name, null, status, null, null, null, null, null, 0, 0, 0.025, 0.05, 500, 500, 0, List.of());
    }

    /** Three features (a drifting, b ok, c without enough data); skew: b 20% unseen, a 5%. */
    private static Optional<MonitoringWindow> window() {
        return Optional.of(new MonitoringWindow(
                "m",
                1,
                WindowGranularity.HOUR,
                T0,
                T0.plusSeconds(3600),
                500,
                500,
                500,
                1.0,
                FeatureDriftStatus.WARNING,
                new MonitoringWindow.DatasetDrift(FeatureDriftStatus.WARNING, 2, 1, 0.5, 0.5),
                List.of(
                        feature("a", FeatureDriftStatus.DRIFT),
                        feature("b", FeatureDriftStatus.OK),
                        feature("c", FeatureDriftStatus.INSUFFICIENT_DATA)),
                null,
                List.of(
                        new MonitoringWindow.FeatureSkew("a", 500, 0, 0.05, 0, 0, 0),
                        new MonitoringWindow.FeatureSkew("b", 500, 0.01, 0.2, 0, 0, 0)),
                null,
                null,
                null));
    }

    private static Rule rule(String signal, Double threshold, List<String> features, String kind) {
        return MonitoringRules.validate(
                        new RulesRequest(List.of(new Rule(signal, threshold, features, kind, "alert", null, null))))
                .get(0);
    }

    @Test
    void shouldReadEachSignalFromTheJudgedWindow() {
        assertThat(RuleSignals.read(rule("datasetDrift", 0.5, null, null), 500, window()))
                .contains(new RuleSignals.Reading(true, 0.5));
        assertThat(RuleSignals.read(rule("datasetDrift", 0.6, null, null), 500, window()))
                .contains(new RuleSignals.Reading(false, 0.5));
        assertThat(RuleSignals.read(rule("featureDrift", null, List.of("b", "a"), null), 500, window()))
                .contains(new RuleSignals.Reading(true, null));
        assertThat(RuleSignals.read(rule("featureDrift", null, List.of("b"), null), 500, window()))
                .contains(new RuleSignals.Reading(false, null));
        // the largest rate of the kind over the inputs
        assertThat(RuleSignals.read(rule("skew", 0.1, null, "unseen-category"), 500, window()))
                .contains(new RuleSignals.Reading(true, 0.2));
        assertThat(RuleSignals.read(rule("skew", 0.1, null, "missing"), 500, window()))
                .contains(new RuleSignals.Reading(false, 0.01));
        assertThat(RuleSignals.read(rule("volumeZero", null, null, null), 500, window()))
                .contains(new RuleSignals.Reading(false, 500.0));
    }

    @Test
    void shouldSayNothingWithoutNewTrafficOrEnoughDataExceptThatVolumeIsZero() {
        assertThat(RuleSignals.read(rule("featureDrift", null, List.of("c"), null), 500, window()))
                .isEmpty();
        assertThat(RuleSignals.read(rule("featureDrift", null, List.of("unknown"), null), 500, window()))
                .isEmpty();
        assertThat(RuleSignals.read(rule("datasetDrift", null, null, null), 0, window()))
                .isEmpty();
        assertThat(RuleSignals.read(rule("volumeZero", null, null, null), 0, Optional.empty()))
                .contains(new RuleSignals.Reading(true, 0.0));
    }

    /**
     * A binary model's window: 50 labels give realised accuracy 0.6 and logloss 0.9; CBPE over 500 scored
     * predictions estimates accuracy 0.75; validation had accuracy 0.8 and logloss 0.5.
     */
    static PerformanceAssessment assessment(long labels, long scored) {
        return new PerformanceAssessment(
                "m",
                1,
                Objective.BINARY,
                T0,
                T0.plusSeconds(3600),
                scored,
                new PerformanceAssessment.Realised(
                        labels,
                        0,
                        labels == 0
                                ? Map.of()
                                : Map.of(
                                        "accuracy", new Metrics.Interval(0.6, 0.45, 0.73, 0.95, 200),
                                        "logloss", new Metrics.Interval(0.9, 0.7, 1.1, 0.95, 200)),
                        "test"),
                new EstimatedPerformance(
                        "cbpe",
                        scored,
                        List.of(),
                        Map.of("accuracy", new EstimatedPerformance.EstimatedMetric(0.75, 0.02, 0.69, 0.81)),
                        null),
                Map.of(
                        "accuracy", new ReferenceProfile.MetricEstimate(0.8, 0.78, 0.82, 0.95, 200),
                        "logloss", new ReferenceProfile.MetricEstimate(0.5, 0.45, 0.55, 0.95, 200)));
    }

    private static Optional<MonitoringWindow> assessed(long labels, long scored) {
        return window().map(w -> w.withPerformance(assessment(labels, scored)));
    }

    private static Rule performance(String signal, String metric, Double floor, Double margin, Integer minSamples) {
        return MonitoringRules.validate(new RulesRequest(List.of(new Rule(
                        null,
                        signal,
                        null,
                        null,
                        null,
                        "alert",
                        null,
                        null,
                        metric,
                        floor,
                        margin,
                        minSamples,
                        null,
                        null,
                        null))))
                .get(0);
    }

    @Test
    void shouldReadRealisedPerformanceBelowTheFloorOrBelowTheValidationFigureByTheMargin() {
        // accuracy 0.6: below a floor of 0.7, not below 0.5
        assertThat(RuleSignals.read(
                        performance("realisedPerformance", "accuracy", 0.7, null, null), 500, assessed(50, 500)))
                .contains(new RuleSignals.Reading(true, 0.6));
        assertThat(RuleSignals.read(
                        performance("realisedPerformance", "accuracy", 0.5, null, null), 500, assessed(50, 500)))
                .contains(new RuleSignals.Reading(false, 0.6));
        // validation 0.8: 0.6 is below 0.8 - 0.1 = 0.7, not below 0.8 - 0.25 = 0.55
        assertThat(RuleSignals.read(
                        performance("realisedPerformance", "accuracy", null, 0.1, null), 500, assessed(50, 500)))
                .contains(new RuleSignals.Reading(true, 0.6));
        assertThat(RuleSignals.read(
                        performance("realisedPerformance", "accuracy", null, 0.25, null), 500, assessed(50, 500)))
                .contains(new RuleSignals.Reading(false, 0.6));
        // with both, either one crossed is the signal
        assertThat(RuleSignals.read(
                        performance("realisedPerformance", "accuracy", 0.5, 0.1, null), 500, assessed(50, 500)))
                .contains(new RuleSignals.Reading(true, 0.6));
    }

    @Test
    void shouldReadWorseAsHigherForMetricsWhereLowerIsBetter() {
        // logloss 0.9: worse than a floor of 0.7 (above it); validation 0.5 + margin 0.5 = 1.0 is not crossed
        assertThat(RuleSignals.read(
                        performance("realisedPerformance", "logloss", 0.7, null, null), 500, assessed(50, 500)))
                .contains(new RuleSignals.Reading(true, 0.9));
        assertThat(RuleSignals.read(
                        performance("realisedPerformance", "logloss", null, 0.5, null), 500, assessed(50, 500)))
                .contains(new RuleSignals.Reading(false, 0.9));
        assertThat(RuleSignals.read(
                        performance("realisedPerformance", "logloss", null, 0.3, null), 500, assessed(50, 500)))
                .contains(new RuleSignals.Reading(true, 0.9));
    }

    @Test
    void shouldReadEstimatedPerformanceFromCbpeWithoutLabels() {
        // no labels at all: CBPE's 0.75 is below the validation 0.8 less 0.02, not below a floor of 0.7
        assertThat(RuleSignals.read(
                        performance("estimatedPerformance", "accuracy", null, 0.02, null), 500, assessed(0, 500)))
                .contains(new RuleSignals.Reading(true, 0.75));
        assertThat(RuleSignals.read(
                        performance("estimatedPerformance", "accuracy", 0.7, null, null), 500, assessed(0, 500)))
                .contains(new RuleSignals.Reading(false, 0.75));
    }

    @Test
    void shouldCountAWindowWithTooFewLabelsOrNoFigureNeitherAsPresentNorAbsent() {
        // 50 labels against minSamples 51; 20 scored predictions against the default 30
        assertThat(RuleSignals.read(
                        performance("realisedPerformance", "accuracy", 0.7, null, 51), 500, assessed(50, 500)))
                .isEmpty();
        assertThat(RuleSignals.read(
                        performance("estimatedPerformance", "accuracy", 0.7, null, null), 20, assessed(0, 20)))
                .isEmpty();
        // no labels: realised says nothing, even where CBPE has an estimate
        assertThat(RuleSignals.read(
                        performance("realisedPerformance", "accuracy", 0.7, null, null), 500, assessed(0, 500)))
                .isEmpty();
        // a window judged without its performance; metrics the window lacks (realised auc, estimated f1)
        assertThat(RuleSignals.read(performance("realisedPerformance", "accuracy", 0.7, null, null), 500, window()))
                .isEmpty();
        assertThat(RuleSignals.read(performance("realisedPerformance", "auc", 0.7, null, null), 500, assessed(50, 500)))
                .isEmpty();
        assertThat(RuleSignals.read(performance("estimatedPerformance", "f1", null, 0.1, null), 500, assessed(50, 500)))
                .isEmpty();
        // no new records: the latest window is an old one, already counted
        assertThat(RuleSignals.read(
                        performance("realisedPerformance", "accuracy", 0.7, null, null), 0, assessed(50, 500)))
                .isEmpty();
    }
}
