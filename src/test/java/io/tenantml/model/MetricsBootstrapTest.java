package io.tenantml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricsBootstrapTest {

    static final long SEED = 20261130L;

    /**
     * The binary bootstrap lays each resample out in score order to keep its sorts linear; the resamples must still
     * be the plain ones: the same picks from the same generator, so every interval equals a straightforward
     * resample-and-compute of the same seed.
     */
    @Test
    void shouldGiveTheSameBinaryIntervalsAsPlainResamplingWithTheSameSeed() {
        SplittableRandom data = new SplittableRandom(SEED);
        int n = 701;
        float[] labels = new float[n];
        float[][] predictions = new float[n][];
        for (int i = 0; i < n; i++) {
            labels[i] = data.nextDouble() < 0.3 ? 1f : 0f;
            // ties on purpose: scores on a grid of 50 values, shifted up for positives
            float score = (float) Math.min(1.0, Math.floor(data.nextDouble() * 50) / 50 + 0.2 * labels[i]);
            predictions[i] = new float[] {score};
        }
        int resamples = 60;
        double confidence = 0.9;
        long seed = 7;

        Map<String, Metrics.Interval> fast =
                Metrics.bootstrap(Objective.BINARY, labels, predictions, resamples, confidence, seed);

        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Double> full = Metrics.compute(Objective.BINARY, labels, predictions);
        double[][] samples = new double[full.size()][resamples];
        String[] names = full.keySet().toArray(String[]::new);
        float[] l = new float[n];
        float[][] p = new float[n][];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(n);
                l[i] = labels[pick];
                p[i] = predictions[pick];
            }
            Map<String, Double> m = Metrics.compute(Objective.BINARY, l, p);
            for (int k = 0; k < names.length; k++) {
                samples[k][b] = m.get(names[k]);
            }
        }
        double alpha = (1 - confidence) / 2;
        for (int k = 0; k < names.length; k++) {
            double[] sorted = samples[k].clone();
            Arrays.sort(sorted);
            Metrics.Interval interval = fast.get(names[k]);
            assertThat(interval.lower())
                    .as("%s lower (data seed %d)", names[k], SEED)
                    .isCloseTo(sorted[(int) Math.floor(alpha * (resamples - 1))], within(1e-12));
            assertThat(interval.upper())
                    .as("%s upper (data seed %d)", names[k], SEED)
                    .isCloseTo(sorted[(int) Math.ceil((1 - alpha) * (resamples - 1))], within(1e-12));
        }
    }
}
