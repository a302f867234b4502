package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tenantml.model.Metrics;
import io.tenantml.model.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CBPE on simulated scores whose true probability of the positive class is known: the scores overstate it
 * (true p = score²), so the estimate is only right after calibration on the reference.
 */
class CbpeTest {

    private record Sample(float[] labels, float[][] outputs) {}

    private static Sample draw(long seed, int n, double low, double high) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] labels = new float[n];
        float[][] outputs = new float[n][];
        for (int i = 0; i < n; i++) {
            float score = (float) (low + random.nextDouble() * (high - low));
            outputs[i] = new float[] {score};
            labels[i] = random.nextDouble() < (double) score * score ? 1 : 0;
        }
        return new Sample(labels, outputs);
    }

    private static Cbpe fitted() {
        Sample reference = draw(1, 20_000, 0, 1);
        return Cbpe.fit(
                Objective.BINARY,
                List.of("score"),
                new ReferenceProfile.ValidationSample(reference.labels(), reference.outputs()),
                7);
    }

    @Test
    void shouldBracketTheRealisedMetricsOfUnshiftedWindowsWithItsInterval() {
        Cbpe cbpe = fitted();
        int inside = 0, windows = 40;
        for (int w = 0; w < windows; w++) {
            Sample window = draw(100 + w, 1000, 0, 1);
            EstimatedPerformance e = cbpe.estimate(List.of(window.outputs()));
            Map<String, Double> realised = Metrics.compute(Objective.BINARY, window.labels(), window.outputs());
            boolean all = true;
            for (String metric : List.of("auc", "accuracy", "f1")) {
                EstimatedPerformance.EstimatedMetric m = e.metrics().get(metric);
                all &= realised.get(metric) >= m.lower() && realised.get(metric) <= m.upper();
            }
            inside += all ? 1 : 0;
        }
        // ±3 sampling errors: each metric misses about 0.3% of the time; allow one window in 40
        assertThat(inside).isGreaterThanOrEqualTo(windows - 1);
        assertThat(fitted().estimate(List.of(draw(5, 10, 0, 1).outputs())).calibratedOutputs())
                .containsExactly("score");
    }

    @Test
    void shouldFollowTheRealisedAccuracyWhenScoresShift() {
        Cbpe cbpe = fitted();
        Sample low = draw(8, 20_000, 0, 0.5);
        Sample high = draw(9, 20_000, 0.5, 1);
        double estimatedLow =
                cbpe.estimate(List.of(low.outputs())).metrics().get("accuracy").value();
        double estimatedHigh =
                cbpe.estimate(List.of(high.outputs())).metrics().get("accuracy").value();
        double realisedLow =
                Metrics.compute(Objective.BINARY, low.labels(), low.outputs()).get("accuracy");
        double realisedHigh =
                Metrics.compute(Objective.BINARY, high.labels(), high.outputs()).get("accuracy");
        // (the reference of 20,000 rows puts the calibrated mean within about 0.005 of the truth on each half)
        // true accuracy by hand: scores below 0.5 predict negative, right with probability 1 − s²:
        // mean over s ~ U(0, 0.5) of 1 − s² = 1 − 1/12 ≈ 0.917; above 0.5, right with s²: (1/0.5)∫s² = 7/12 ≈ 0.583
        assertThat(realisedLow).isCloseTo(11.0 / 12, within(0.01));
        assertThat(realisedHigh).isCloseTo(7.0 / 12, within(0.01));
        assertThat(estimatedLow).isCloseTo(realisedLow, within(0.02));
        assertThat(estimatedHigh).isCloseTo(realisedHigh, within(0.02));
    }

    @Test
    void shouldEstimateTheAucOfScoresThatAreTheirOwnProbabilitiesAsTheirExpectedAuc() {
        // calibrated p: the expected AUC of 4 rows with p = 0, 0, 1, 1 ordered by score is 1; reversed 0
        assertThat(Cbpe.expectedAuc(new double[] {0.1, 0.2, 0.8, 0.9}, new double[] {0, 0, 1, 1}))
                .isEqualTo(1.0);
        assertThat(Cbpe.expectedAuc(new double[] {0.9, 0.8, 0.2, 0.1}, new double[] {0, 0, 1, 1}))
                .isEqualTo(0.0);
        // all tied: one diagonal step
        assertThat(Cbpe.expectedAuc(new double[] {0.5, 0.5}, new double[] {0.3, 0.6}))
                .isCloseTo(0.5, within(1e-12));
    }

    @Test
    void shouldEstimateMulticlassAccuracyAsTheMeanProbabilityOfThePredictedClass() {
        SplittableRandom random = new SplittableRandom(4);
        int n = 6000;
        float[] labels = new float[n];
        float[][] outputs = new float[n][];
        for (int i = 0; i < n; i++) {
            double a = random.nextDouble(), b = random.nextDouble() * (1 - a);
            float[] p = {(float) a, (float) b, (float) (1 - a - b)};
            outputs[i] = p;
            double u = random.nextDouble();
            labels[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
        }
        Cbpe cbpe = Cbpe.fit(
                Objective.MULTICLASS,
                List.of("a", "b", "c"),
                new ReferenceProfile.ValidationSample(labels, outputs),
                7);
        List<float[]> window = new ArrayList<>(List.of(outputs).subList(0, 3000));
        float[] windowLabels = java.util.Arrays.copyOf(labels, 3000);
        EstimatedPerformance.EstimatedMetric e = cbpe.estimate(window).metrics().get("accuracy");
        double realised = Metrics.compute(Objective.MULTICLASS, windowLabels, window.toArray(float[][]::new))
                .get("accuracy");
        assertThat(realised).isBetween(e.lower(), e.upper());
    }
}
