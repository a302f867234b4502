package io.tenantml.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.feature.FeatureInput;
import io.tenantml.feature.FeatureKind;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.Objective;
import io.tenantml.model.TrainingWarning;
import io.tenantml.model.TrainingWarningKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LeakageCheckTest {

    private static final long SEED = 20261130L;
    private static final int TRAIN = 3000;
    private static final int VALID = 1000;

    /**
     * Columns: subtotal ~ U(0, 1000) and fee ~ U(0, 10), whose sum is the order total; noisy = subtotal plus
     * N(0, 200²) noise (a strong but honest feature, R² about 1000²/12 / (1000²/12 + 200²) = 0.68); customer
     * is an identifier (a categorical code never repeated); region a category unrelated to the target.
     */
    private static final FeatureTransform TRANSFORM = new FeatureTransform(
            FeatureTransform.FORMAT_VERSION,
            List.of(
                    new FeatureInput("subtotal", FeatureKind.NUMERIC, null),
                    new FeatureInput("fee", FeatureKind.NUMERIC, null),
                    new FeatureInput("noisy", FeatureKind.NUMERIC, null),
                    new FeatureInput("customer", FeatureKind.CATEGORICAL, customers()),
                    new FeatureInput("region", FeatureKind.CATEGORICAL, List.of("n", "e", "s", "w"))));

    private static List<String> customers() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < TRAIN + VALID; i++) {
            ids.add("c" + i);
        }
        return ids;
    }

    private record Data(float[] train, float[] trainLabels, float[] valid, float[] validLabels) {}

    private static Data data(ToDoubleFunction<double[]> label) {
        SplittableRandom random = new SplittableRandom(SEED);
        int width = TRANSFORM.width();
        float[] train = new float[TRAIN * width];
        float[] valid = new float[VALID * width];
        float[] trainLabels = new float[TRAIN];
        float[] validLabels = new float[VALID];
        for (int r = 0; r < TRAIN + VALID; r++) {
            double subtotal = random.nextDouble() * 1000;
            double fee = random.nextDouble() * 10;
            double noisy = subtotal + 200 * random.nextGaussian();
            double[] row = {subtotal, fee, noisy, r, random.nextInt(4)};
            boolean isTrain = r < TRAIN;
            float[] out = isTrain ? train : valid;
            int at = (isTrain ? r : r - TRAIN) * width;
            for (int f = 0; f < width; f++) {
                out[at + f] = (float) row[f];
            }
            (isTrain ? trainLabels : validLabels)[isTrain ? r : r - TRAIN] = (float) label.applyAsDouble(row);
        }
        return new Data(train, trainLabels, valid, validLabels);
    }

    private static Map<String, Double> scores(Objective objective, int numClass, Data d) {
        return LeakageCheck.scores(
                        objective,
                        numClass,
                        TRANSFORM,
                        d.train(),
                        d.trainLabels(),
                        d.valid(),
                        d.validLabels(),
                        LeakageCheck.Settings.DEFAULTS)
                .stream()
                .collect(Collectors.toMap(LeakageCheck.Score::column, LeakageCheck.Score::value));
    }

    private static List<String> flagged(Objective objective, int numClass, Data d) {
        return LeakageCheck.check(
                        objective,
                        numClass,
                        TRANSFORM,
                        d.train(),
                        d.trainLabels(),
                        d.valid(),
                        d.validLabels(),
                        LeakageCheck.Settings.DEFAULTS)
                .stream()
                .map(TrainingWarning::column)
                .toList();
    }

    @Test
    void shouldFlagTheComponentThatDominatesARegressionTargetsTotalAndNoOrdinaryFeature() {
        Data d = data(row -> row[0] + row[1]); // total = subtotal + fee, no noise
        Map<String, Double> scores = scores(Objective.REGRESSION, 0, d);

        // subtotal explains Var(subtotal) / (Var(subtotal) + Var(fee)) = 0.9999 of the total; 50 quantile
        // bins of width 20 leave 20²/12 of it unexplained: R² ≈ 1 - 33 / 83,342 ≈ 0.9996.
        assertThat(scores.get("subtotal")).as("seed %d", SEED).isGreaterThan(0.99);
        assertThat(scores.get("noisy")).as("seed %d", SEED).isBetween(0.5, 0.8);
        assertThat(scores.get("customer"))
                .as("an identifier is unseen out of sample")
                .isLessThan(0.01);
        assertThat(flagged(Objective.REGRESSION, 0, d)).as("seed %d", SEED).containsExactly("subtotal");
    }

    @Test
    void shouldFlagAComponentOfTheTotalBehindABinaryTarget() {
        Data d = data(row -> row[0] + row[1] > 500 ? 1 : 0); // "large order" decided on the total
        List<TrainingWarning> warnings = LeakageCheck.check(
                Objective.BINARY,
                0,
                TRANSFORM,
                d.train(),
                d.trainLabels(),
                d.valid(),
                d.validLabels(),
                LeakageCheck.Settings.DEFAULTS);

        assertThat(warnings).as("seed %d", SEED).hasSize(1);
        TrainingWarning warning = warnings.get(0);
        assertThat(warning.kind()).isEqualTo(TrainingWarningKind.LIKELY_LEAKAGE);
        assertThat(warning.column()).isEqualTo("subtotal");
        assertThat(warning.measure()).isEqualTo(io.tenantml.model.LeakageMeasure.AUC);
        assertThat(warning.value()).isGreaterThanOrEqualTo(warning.threshold());
        assertThat(warning.message()).contains("'subtotal'").contains("auc");
    }

    @Test
    void shouldFlagAFeatureThatDeterminesTheClassOfAMulticlassTarget() {
        Data d = data(row -> Math.min(2, Math.floor((row[0] + row[1]) / 340))); // small, medium, large
        assertThat(flagged(Objective.MULTICLASS, 3, d)).as("seed %d", SEED).containsExactly("subtotal");
    }

    @Test
    void shouldFlagNothingWhenNoFeatureAlonePredictsTheTarget() {
        SplittableRandom noise = new SplittableRandom(SEED + 1);
        // the target mixes subtotal with as much independent noise: R² of subtotal alone is about 0.5
        Data d = data(row -> row[0] + 1000 * (noise.nextDouble() - 0.5));
        assertThat(flagged(Objective.REGRESSION, 0, d)).as("seed %d", SEED).isEmpty();
        assertThat(scores(Objective.REGRESSION, 0, d).get("subtotal")).isBetween(0.3, 0.7);
    }
}
