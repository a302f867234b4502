package io.tenantml.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.model.InvalidSpecException;
import io.tenantml.model.Objective;
import io.tenantml.model.PositiveClass;
import io.tenantml.model.SplitSpec;
import io.tenantml.model.XGBoostParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

class ModelTrainerTest {

    private static final long SEED = 7L;

    private static ModelSpec penguinSpec(XGBoostParams params) {
        return new ModelSpec(
                "penguins",
                "Species",
                null,
                Objective.MULTICLASS,
                null,
                params,
                new SplitSpec(SplitSpec.Method.RANDOM, 0.25),
                null,
                null,
                true);
    }

    private static ModelSpec flightSpec(XGBoostParams params) {
        return new ModelSpec(
                "flights",
                "delay",
                List.of("date", "distance", "origin", "destination"),
                Objective.BINARY,
                new PositiveClass(15.0, null),
                params,
                new SplitSpec(SplitSpec.Method.TIME, 0.2),
                null,
                null,
                true);
    }

    private static XGBoostParams params(int rounds) {
        return new XGBoostParams(4, 0.3, rounds, 5, 0.8, 0.9, 1.0, 1.0, 0.0, SEED);
    }

    @Test
    void shouldTrainPenguinsBetterThanTheBaselineWithProgressPerRound() throws Exception {
        TestDatasets.Fixture penguins = TestDatasets.penguins();
        AtomicInteger rounds = new AtomicInteger();
        try (TrainedModel model = ModelTrainer.train(
                penguinSpec(params(50)),
                penguins.schema(),
                penguins.rows().iterator(),
                2,
                (round, max, score) -> rounds.set(round))) {
            assertThat(model.metrics()).containsKeys("accuracy", "macroF1", "mlogloss");
            assertThat(model.metrics().get("accuracy")).as("seed %d", SEED).isGreaterThan(0.9);
            assertThat(model.metrics().get("accuracy"))
                    .isGreaterThan(model.baseline().get("accuracy"));
            assertThat(model.metrics().get("mlogloss"))
                    .isLessThan(model.baseline().get("mlogloss"));
            assertThat(model.target().classes()).containsExactly("Adelie", "Chinstrap", "Gentoo");
            assertThat(rounds.get()).isEqualTo(model.rounds()).isPositive();
            assertThat(model.importance()).containsKeys("Island", "Beak Length (mm)", "Sex");
            assertThat(model.importance().values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum())
                    .isPositive();
            // none of the 344 rows lacks its species; each validates with probability 0.25 by its hash: 86 on
            // average, standard deviation sqrt(344 x 0.25 x 0.75) = 8.0
            assertThat(model.trainRows() + model.validationRows().size()).isEqualTo(344);
            assertThat(model.validationRows()).hasSizeBetween(86 - 32, 86 + 32);
            assertThat(model.split().validationBelow()).isEqualTo(0.25);
        }
    }

    @Test
    void shouldTrainFlightDelaysAsBinaryOnATimeSplit() throws Exception {
        TestDatasets.Fixture flights = TestDatasets.flights();
        try (TrainedModel model = ModelTrainer.train(
                flightSpec(params(60)), flights.schema(), flights.rows().iterator(), 2, BoostingListener.NONE)) {
            assertThat(model.metrics()).containsKeys("auc", "prAuc", "logloss", "accuracy", "f1");
            assertThat(model.baseline().get("auc")).isEqualTo(0.5);
            assertThat(model.metrics().get("auc")).as("seed %d", SEED).isGreaterThan(0.6);
            assertThat(model.metrics().get("logloss"))
                    .isLessThan(model.baseline().get("logloss"));
            assertThat(model.transform().featureTypes()).contains("c");
        }
    }

    /**
     * Acceptance 2: the platform adds no distortion. The same split is encoded independently here (own
     * dictionaries, own missing handling) and trained with XGBoost.train and its own early stopping.
     */
    @Test
    void shouldMatchDirectXGBoost4JOnTheSameSplitAndParams() throws Exception {
        TestDatasets.Fixture penguins = TestDatasets.penguins();
        ModelSpec spec = penguinSpec(params(80));
        double platform;
        try (TrainedModel model =
                ModelTrainer.train(spec, penguins.schema(), penguins.rows().iterator(), 2, BoostingListener.NONE)) {
            platform = model.metrics().get("mlogloss");
        }

        List<Object[]> rows = penguins.rows().stream().map(DatasetRow::values).toList();
        Split split = Split.of(rows, penguins.schema(), spec.split(), SEED, null);
        List<String> species = List.of("Adelie", "Chinstrap", "Gentoo");
        Map<Integer, List<String>> dictionaries = new LinkedHashMap<>();
        for (int column : new int[] {1, 6}) {
            dictionaries.put(
                    column,
                    rows.stream()
                            .filter(r -> r[column] != null)
                            .filter(r -> contains(split.train(), rows.indexOf(r)))
                            .map(r -> (String) r[column])
                            .distinct()
                            .sorted()
                            .toList());
        }
        DMatrix train = directMatrix(rows, split.train(), dictionaries, species);
        DMatrix valid = directMatrix(rows, split.validation(), dictionaries, species);
        Map<String, DMatrix> watches = new LinkedHashMap<>();
        watches.put("validation", valid);
        XGBoostParams p = spec.params();
        Booster booster = XGBoost.train(
                train,
                p.boosterParams(Objective.MULTICLASS, 3, 2),
                p.numRounds(),
                watches,
                null,
                null,
                null,
                p.earlyStoppingRounds());
        float[][] predictions = booster.predict(valid);
        float[] labels = valid.getLabel();
        double direct = 0;
        for (int i = 0; i < labels.length; i++) {
            direct -= Math.log(Math.min(Math.max(predictions[i][(int) labels[i]], 1e-15), 1 - 1e-15));
        }
        direct /= labels.length;
        booster.dispose();
        train.dispose();
        valid.dispose();

        assertThat(platform).as("seed %d", SEED).isCloseTo(direct, within(1e-6));
    }

    private static boolean contains(int[] indices, int index) {
        return java.util.Arrays.binarySearch(indices, index) >= 0;
    }

    /** Penguin columns in schema order after the target: Island (c), four numerics, Sex (c). */
    private static DMatrix directMatrix(
            List<Object[]> rows, int[] selected, Map<Integer, List<String>> dictionaries, List<String> species)
            throws Exception {
        int width = 6;
        float[] data = new float[selected.length * width];
        float[] labels = new float[selected.length];
        for (int r = 0; r < selected.length; r++) {
            Object[] row = rows.get(selected[r]);
            labels[r] = species.indexOf((String) row[0]);
            for (int c = 1; c <= 6; c++) {
                Object value = row[c];
                float encoded;
                if (value == null) {
                    encoded = Float.NaN;
                } else if (dictionaries.containsKey(c)) {
                    int code = dictionaries.get(c).indexOf((String) value);
                    encoded = code < 0 ? Float.NaN : code;
                } else {
                    encoded = ((Double) value).floatValue();
                }
                data[r * width + c - 1] = encoded;
            }
        }
        DMatrix matrix = new DMatrix(data, selected.length, width, Float.NaN);
        matrix.setLabel(labels);
        matrix.setFeatureNames(new String[] {
            "Island", "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)", "Sex"
        });
        matrix.setFeatureTypes(new String[] {"c", "q", "q", "q", "q", "c"});
        return matrix;
    }

    @Test
    void shouldStopWhenCancelledBetweenRounds() {
        TestDatasets.Fixture penguins = TestDatasets.penguins();
        BoostingListener cancelAfterThree = new BoostingListener() {
            int rounds;

            @Override
            public void onRound(int round, int maxRounds, double score) {
                rounds = round;
            }

            @Override
            public boolean cancelled() {
                return rounds >= 3;
            }
        };
        assertThatThrownBy(() -> ModelTrainer.train(
                        penguinSpec(params(50)),
                        penguins.schema(),
                        penguins.rows().iterator(),
                        1,
                        cancelAfterThree))
                .isInstanceOf(CancellationException.class);
    }

    @Test
    void shouldGiveTheSameModelForTheSameSeed() throws Exception {
        TestDatasets.Fixture penguins = TestDatasets.penguins();
        List<Double> losses = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (TrainedModel model = ModelTrainer.train(
                    penguinSpec(params(20)), penguins.schema(), penguins.rows().iterator(), 2, BoostingListener.NONE)) {
                losses.add(model.metrics().get("mlogloss"));
            }
        }
        assertThat(losses.get(0)).as("seed %d", SEED).isEqualTo(losses.get(1));
    }

    @Test
    void shouldRejectSpecsNamingTheWrongField() {
        DatasetSchema schema = TestDatasets.penguins().schema();
        assertThatThrownBy(() -> new ModelSpec(
                                "p",
                                "Species",
                                List.of("Island", "Wingspan"),
                                Objective.MULTICLASS,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null)
                        .resolveFeatures(schema))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("features[1]"));
        assertThatThrownBy(() -> new ModelSpec(
                                "p", "Species", null, Objective.REGRESSION, null, null, null, null, null, null)
                        .resolveFeatures(schema))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("target"));
        assertThatThrownBy(() -> new XGBoostParams(null, 2.0, null, null, null, null, null, null, null, null))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("params.eta"));
        assertThatThrownBy(() -> new ModelSpec(
                        "p",
                        "Species",
                        null,
                        Objective.MULTICLASS,
                        null,
                        null,
                        null,
                        new GateSpec("auc", null),
                        null,
                        null))
                .isInstanceOfSatisfying(
                        InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("gate.metric"));
    }
}
