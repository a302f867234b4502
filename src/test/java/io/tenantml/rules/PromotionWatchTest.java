package io.tenantml.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.monitoring.PerformanceAssessment;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromotionWatchTest {

    private static final PromotionWatch.Settings ACCURACY = new PromotionWatch.Settings("accuracy", 0.1, 30, 3);

    /** See {@link RuleSignalsTest#assessment}: realised accuracy 0.6 (when labelled), CBPE 0.75, validation 0.8. */
    private static PerformanceAssessment assessment(long labels, long scored) {
        return RuleSignalsTest.assessment(labels, scored);
    }

    @Test
    void shouldCompareWithThePreviousVersionsRealisedFigureWhenItHasEnoughLabelsElseItsValidationFigure() {
        assertThat(PromotionWatch.baseline(assessment(50, 500), Map.of("accuracy", 0.82), "accuracy", 30))
                .contains(new PromotionWatch.Figure(0.6, PromotionWatch.Source.REALISED, 50));
        assertThat(PromotionWatch.baseline(assessment(10, 500), Map.of("accuracy", 0.82), "accuracy", 30))
                .contains(new PromotionWatch.Figure(0.82, PromotionWatch.Source.VALIDATION, 0));
        assertThat(PromotionWatch.baseline(null, Map.of("accuracy", 0.82), "accuracy", 30))
                .contains(new PromotionWatch.Figure(0.82, PromotionWatch.Source.VALIDATION, 0));
        assertThat(PromotionWatch.baseline(null, Map.of("auc", 0.9), "accuracy", 30))
                .isEmpty();
    }

    @Test
    void shouldJudgeThePromotedVersionOnLabelsWhenItHasEnoughElseOnCbpe() {
        assertThat(PromotionWatch.watched(assessment(50, 500), "accuracy", 30))
                .contains(new PromotionWatch.Figure(0.6, PromotionWatch.Source.REALISED, 50));
        assertThat(PromotionWatch.watched(assessment(10, 500), "accuracy", 30))
                .contains(new PromotionWatch.Figure(0.75, PromotionWatch.Source.ESTIMATED, 500));
        assertThat(PromotionWatch.watched(assessment(10, 20), "accuracy", 30)).isEmpty();
        assertThat(PromotionWatch.watched(null, "accuracy", 30)).isEmpty();
    }

    @Test
    void shouldFallOnlyWhenWorseThanTheBaselineByMoreThanTheMarginAndPassAfterItsWindows() {
        PromotionWatch.Figure baseline = new PromotionWatch.Figure(0.8, PromotionWatch.Source.VALIDATION, 0);
        // 0.6 < 0.8 - 0.1: falls, whatever the count
        PromotionWatch.Judgement fell = PromotionWatch.judge(
                ACCURACY, baseline, Optional.of(new PromotionWatch.Figure(0.6, PromotionWatch.Source.REALISED, 50)), 2);
        assertThat(fell.verdict()).isEqualTo(PromotionWatch.Verdict.FELL);
        assertThat(fell.bound()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-12));
        // 0.75 is within the margin: held on the first and second runs, passed on the third
        Optional<PromotionWatch.Figure> fine =
                Optional.of(new PromotionWatch.Figure(0.75, PromotionWatch.Source.ESTIMATED, 500));
        assertThat(PromotionWatch.judge(ACCURACY, baseline, fine, 0).verdict()).isEqualTo(PromotionWatch.Verdict.HELD);
        assertThat(PromotionWatch.judge(ACCURACY, baseline, fine, 1).verdict()).isEqualTo(PromotionWatch.Verdict.HELD);
        assertThat(PromotionWatch.judge(ACCURACY, baseline, fine, 2).verdict())
                .isEqualTo(PromotionWatch.Verdict.PASSED);
        // too few labels and predictions: the run does not count
        assertThat(PromotionWatch.judge(ACCURACY, baseline, Optional.empty(), 2).verdict())
                .isEqualTo(PromotionWatch.Verdict.CANNOT_JUDGE);
    }

    @Test
    void shouldFallWhenHigherForMetricsWhereLowerIsBetter() {
        PromotionWatch.Settings rmse = new PromotionWatch.Settings("rmse", 0.5, 30, 3);
        PromotionWatch.Figure baseline = new PromotionWatch.Figure(1.0, PromotionWatch.Source.REALISED, 400);
        assertThat(PromotionWatch.judge(
                                rmse,
                                baseline,
                                Optional.of(new PromotionWatch.Figure(1.6, PromotionWatch.Source.REALISED, 40)),
                                0)
                        .verdict())
                .isEqualTo(PromotionWatch.Verdict.FELL);
        assertThat(PromotionWatch.judge(
                                rmse,
                                baseline,
                                Optional.of(new PromotionWatch.Figure(1.4, PromotionWatch.Source.REALISED, 40)),
                                0)
                        .verdict())
                .isEqualTo(PromotionWatch.Verdict.HELD);
    }
}
