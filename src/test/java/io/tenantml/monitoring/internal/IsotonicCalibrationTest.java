package io.tenantml.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsotonicCalibrationTest {

    @Test
    void shouldPoolAdjacentViolatorsInterpolateBetweenScoresAndClipOutside() {
        // labels by score 0.1..0.5: 0, 1, 0, 1, 1 -> pools (0.2, 0.3) to 0.5: fit 0, .5, .5, 1, 1
        // (scikit-learn's IsotonicRegression gives the same on these points)
        IsotonicCalibration c =
                IsotonicCalibration.fit(new double[] {0.3, 0.1, 0.5, 0.2, 0.4}, new double[] {0, 0, 1, 1, 1});
        assertThat(c.calibrate(0.1)).isEqualTo(0.0);
        assertThat(c.calibrate(0.2)).isEqualTo(0.5);
        assertThat(c.calibrate(0.3)).isEqualTo(0.5);
        assertThat(c.calibrate(0.4)).isEqualTo(1.0);
        assertThat(c.calibrate(0.15)).isCloseTo(0.25, within(1e-12));
        assertThat(c.calibrate(0.35)).isCloseTo(0.75, within(1e-12));
        assertThat(c.calibrate(-1)).isEqualTo(0.0);
        assertThat(c.calibrate(2)).isEqualTo(1.0);
    }

    @Test
    void shouldAverageTheLabelsOfEqualScoresBeforePooling() {
        IsotonicCalibration c = IsotonicCalibration.fit(new double[] {0.5, 0.5, 0.5, 0.9}, new double[] {1, 0, 0, 1});
        assertThat(c.calibrate(0.5)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(c.calibrate(0.9)).isEqualTo(1.0);
    }

    @Test
    void shouldCalibrateOnlyScoresThatAreNotCalibratedAlready() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 5000;
        double[] scores = new double[n];
        double[] calibrated = new double[n];
        double[] squashed = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = random.nextDouble();
            calibrated[i] = random.nextDouble() < scores[i] ? 1 : 0;
            // the true probability is the score squared: scores overstate it
            squashed[i] = random.nextDouble() < scores[i] * scores[i] ? 1 : 0;
        }
        assertThat(IsotonicCalibration.helps(scores, squashed, 0.8, 42)).isTrue();
        assertThat(IsotonicCalibration.helps(scores, calibrated, 0.8, 42)).isFalse();
        assertThat(IsotonicCalibration.helps(scores, calibrated, 0.9995, 42))
                .as("scores that separate the classes need no calibration")
                .isFalse();
    }
}
