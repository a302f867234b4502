package io.tenantml.serving.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tenantml.model.ModelProvenance;
import io.tenantml.model.Objective;
import io.tenantml.model.PositiveClass;
import io.tenantml.model.XGBoostParams;
import io.tenantml.registry.LoadedModel;
import io.tenantml.registry.ModelArtifact;
import io.tenantml.serving.Prediction;
import io.tenantml.serving.PredictionWarning;
import io.tenantml.serving.ServedModel;
import io.tenantml.shared.ProblemException;
import io.tenantml.training.BoostingListener;
import io.tenantml.training.ModelSpec;
import io.tenantml.training.ModelTrainer;
import io.tenantml.training.TestDatasets;
import io.tenantml.training.TrainedModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScorerTest {

    private static final long SEED = 7L;
    private static ServedModel penguins;
    private static ServedModel flights;

    @BeforeAll
    static void train() throws Exception {
        penguins = trainAndLoad(
                TestDatasets.penguins(),
                new ModelSpec(
                        "penguins", "Species", null, Objective.MULTICLASS, null, params(20), null, null, null, null));
        flights = trainAndLoad(
                TestDatasets.flights(),
                new ModelSpec(
                        "flights",
                        "delay",
                        List.of("date", "distance", "origin", "destination"),
                        Objective.BINARY,
                        new PositiveClass(15.0, null),
                        params(20),
                        null,
                        null,
                        null,
                        null));
    }

    @AfterAll
    static void close() {
        penguins.close();
        flights.close();
    }

    private static XGBoostParams params(int rounds) {
        return new XGBoostParams(null, null, rounds, null, null, null, null, null, null, SEED);
    }

    /** Trains, writes the file and loads it back, as the registry would. */
    static ServedModel trainAndLoad(TestDatasets.Fixture data, ModelSpec spec) throws Exception {
        try (TrainedModel model =
                ModelTrainer.train(spec, data.schema(), data.rows().iterator(), 1, BoostingListener.NONE)) {
            ModelProvenance provenance = new ModelProvenance(
                    "acme",
                    spec.dataset(),
                    "t-1",
                    spec.dataset(),
                    1,
                    "ab".repeat(32),
                    spec.params(),
                    SEED,
                    1,
                    List.of(),
                    model.rounds(),
                    model.bestIteration(),
                    "3.4.0",
                    "21",
                    "0.1.0",
                    Instant.parse("2026-01-01T00:00:00Z"),
                    model.split());
            byte[] file = ModelArtifact.write(
                    model.booster(), new ModelArtifact.Metadata(model.transform(), model.target(), provenance));
            LoadedModel loaded = ModelArtifact.read(file, ModelArtifact.sha256(file));
            loaded.booster().setParam("nthread", 1);
            return new ServedModel(loaded);
        }
    }

    static Map<String, Object> penguin() {
        Map<String, Object> record = new HashMap<>();
        record.put("Island", "Biscoe");
        record.put("Beak Length (mm)", 47.5);
        record.put("Beak Depth (mm)", 15.0);
        record.put("Flipper Length (mm)", 218);
        record.put("Body Mass (g)", 4950);
        record.put("Sex", "FEMALE");
        return record;
    }

    @Test
    void shouldGiveMulticlassProbabilitiesThatSumToOne() throws Exception {
        Scorer.Scored scored = Scorer.score(penguins, List.of(penguin()), false);
        Prediction p = scored.predictions().get(0);
        assertThat(p.probabilities()).containsOnlyKeys("Adelie", "Chinstrap", "Gentoo");
        assertThat(p.probabilities().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum())
                .isCloseTo(1.0, within(1e-6));
        assertThat(p.label()).isEqualTo("Gentoo");
        assertThat(p.score()).isEqualTo(p.probabilities().get("Gentoo"));
        assertThat(p.contributions()).isNull();
        assertThat(scored.warnings()).isEmpty();
    }

    @Test
    void shouldExplainWithContributionsThatAddUpToTheMargin() throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(penguin());
        Map<String, Object> partial = penguin();
        partial.remove("Sex");
        records.add(partial);
        for (Prediction p : Scorer.score(penguins, records, true).predictions()) {
            assertThat(p.contributions())
                    .containsKey(Prediction.BIAS)
                    .hasSize(penguins.transform().width() + 1);
            double sum = p.contributions().values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
            assertThat(sum).isCloseTo(p.margin(), within(1e-4));
        }
        Prediction delayed = Scorer.score(
                        flights,
                        List.of(Map.of(
                                "date",
                                "2001-01-05T18:30:00Z",
                                "distance",
                                1200,
                                "origin",
                                "ORD",
                                "destination",
                                "LAX")),
                        true)
                .predictions()
                .get(0);
        double sum = delayed.contributions().values().stream()
                .mapToDouble(Double::doubleValue)
                .sum();
        assertThat(sum).isCloseTo(delayed.margin(), within(1e-4));
        // Binary: the score is the logistic of the margin.
        assertThat(delayed.score()).isCloseTo(1 / (1 + Math.exp(-delayed.margin())), within(1e-5));
        assertThat(delayed.label()).isIn("<= 15", "> 15");
    }

    @Test
    void shouldRejectAStringWhereANumberBelongsNamingRecordAndField() {
        Map<String, Object> bad = penguin();
        bad.put("Body Mass (g)", "heavy");
        assertThatThrownBy(() -> Scorer.score(penguins, List.of(penguin(), bad), false))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().extensions())
                            .containsEntry("record", 1)
                            .containsEntry("field", "Body Mass (g)");
                    assertThat(e.problem().detail()).contains("record 1").contains("Body Mass (g)");
                });
    }

    @Test
    void shouldPredictWithAWarningWhenAFeatureIsMissingOrUnknownOrUnseen() throws Exception {
        Map<String, Object> record = penguin();
        record.remove("Beak Length (mm)");
        record.put("Island", "Atlantis");
        record.put("Colour", "black");
        Scorer.Scored scored = Scorer.score(penguins, List.of(record), false);
        assertThat(scored.predictions()).hasSize(1);
        assertThat(scored.predictions().get(0).label()).isNotNull();
        assertThat(scored.warnings())
                .extracting(PredictionWarning::kind, PredictionWarning::field)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(PredictionWarning.MISSING, "Beak Length (mm)"),
                        org.assertj.core.groups.Tuple.tuple(PredictionWarning.UNSEEN, "Island"),
                        org.assertj.core.groups.Tuple.tuple(PredictionWarning.UNKNOWN, "Colour"));
    }

    @Test
    void shouldPredictInPlaceExactlyAsThroughTheTransformsDMatrix() throws Exception {
        for (var fixture : List.of(TestDatasets.penguins(), TestDatasets.flights())) {
            ServedModel model = fixture.schema().column("Species").isPresent() ? penguins : flights;
            List<Object[]> rows =
                    fixture.rows().stream().limit(500).map(r -> r.values()).toList();
            float[][] viaDMatrix = model.model().predictRows(fixture.schema(), rows);
            int width = model.width();
            float[] data = new float[rows.size() * width];
            var encoder = model.transform().bind(fixture.schema());
            for (int i = 0; i < rows.size(); i++) {
                encoder.encode(rows.get(i), data, i * width);
            }
            List<Prediction> inPlace = Scorer.predict(model, data, rows.size(), false);
            List<Prediction> explained = Scorer.predict(model, data, rows.size(), true);
            for (int i = 0; i < rows.size(); i++) {
                float expected = model.model().target().objective() == Objective.MULTICLASS
                        ? max(viaDMatrix[i])
                        : viaDMatrix[i][0];
                assertThat(inPlace.get(i).score()).as("row %d", i).isEqualTo((double) expected);
                assertThat(explained.get(i).score()).as("row %d", i).isEqualTo((double) expected);
            }
        }
    }

    private static float max(float[] values) {
        float max = values[0];
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    @Test
    void shouldGiveTheSameAnswersUnderConcurrentRequests() throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> r = penguin();
            r.put("Body Mass (g)", 3000 + 100 * i);
            records.add(r);
        }
        List<Double> expected = Scorer.score(penguins, records, true).predictions().stream()
                .map(Prediction::score)
                .toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Double>>> futures = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                futures.add(pool.submit(() -> Scorer.score(penguins, records, true).predictions().stream()
                        .map(Prediction::score)
                        .toList()));
            }
            for (Future<List<Double>> f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
