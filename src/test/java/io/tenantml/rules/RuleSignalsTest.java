package io.tenantml.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.monitoring.FeatureDriftStatus;
import io.tenantml.monitoring.MonitoringWindow;
import io.tenantml.monitoring.WindowGranularity;
import java.time.Instant;
import java.util.List;
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
}
