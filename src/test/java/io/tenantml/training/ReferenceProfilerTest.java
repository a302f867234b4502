package io.tenantml.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.model.Objective;
import io.tenantml.monitoring.ReferenceProfile;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReferenceProfilerTest {

    private static final long SEED = 99L;

    /** 2,000 validation rows of a classifier that is right about 80% of the time. */
    private static float[][] predictions(float[] labels) {
        SplittableRandom random = new SplittableRandom(SEED);
        float[][] p = new float[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(2);
            double score = labels[i] == 1 ? 0.5 + 0.5 * random.nextDouble() : 0.5 * random.nextDouble();
            p[i] = new float[] {(float) (random.nextInt(5) == 0 ? 1 - score : score)};
        }
        return p;
    }

    @Test
    void shouldBracketEachMetricWithAnIntervalThatTheSameSeedReproduces() {
        float[] labels = new float[2000];
        float[][] p = predictions(labels);
        Map<String, ReferenceProfile.MetricEstimate> first =
                ReferenceProfiler.metrics(Objective.BINARY, labels, p, SEED);
        Map<String, ReferenceProfile.MetricEstimate> again =
                ReferenceProfiler.metrics(Objective.BINARY, labels, p, SEED);

        assertThat(again).isEqualTo(first);
        ReferenceProfile.MetricEstimate accuracy = first.get("accuracy");
        assertThat(accuracy.value()).as("seed %d", SEED).isBetween(0.77, 0.83);
        assertThat(accuracy.lower()).isLessThan(accuracy.value());
        assertThat(accuracy.upper()).isGreaterThan(accuracy.value());
        // binomial standard error at n = 2000, p = 0.8 is 0.0089: a 95% interval about 0.035 wide
        assertThat(accuracy.upper() - accuracy.lower()).as("seed %d", SEED).isBetween(0.025, 0.045);
        assertThat(accuracy.resamples()).isEqualTo(ReferenceProfiler.RESAMPLES);
        assertThat(first).containsKeys("auc", "logloss", "f1");
    }

    @Test
    void shouldKeepEveryValidationRowForCalibrationUpToTheLimitAndASeededSampleBeyond() {
        float[] labels = new float[2000];
        float[][] p = predictions(labels);
        ReferenceProfile.ValidationSample all = ReferenceProfiler.validationSample(labels, p, SEED);
        assertThat(all.labels()).containsExactly(labels);
        assertThat(all.outputs()).isEqualTo(p);

        int n = ReferenceProfile.ValidationSample.MAX_ROWS + 5000;
        float[] many = new float[n];
        float[][] outputs = new float[n][];
        for (int i = 0; i < n; i++) {
            many[i] = i % 2;
            outputs[i] = new float[] {i}; // the output names its row
        }
        ReferenceProfile.ValidationSample sample = ReferenceProfiler.validationSample(many, outputs, SEED);
        assertThat(sample.rows()).isEqualTo(ReferenceProfile.ValidationSample.MAX_ROWS);
        java.util.Set<Float> rows = new java.util.HashSet<>();
        for (int i = 0; i < sample.rows(); i++) {
            float row = sample.outputs()[i][0];
            assertThat(sample.labels()[i]).isEqualTo(row % 2); // label and outputs stay together
            rows.add(row);
        }
        assertThat(rows).as("drawn without replacement").hasSize(sample.rows());
        assertThat(ReferenceProfiler.validationSample(many, outputs, SEED).outputs())
                .isEqualTo(sample.outputs());
    }
}
