package io.tenantml.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantml.model.ModelProvenance;
import io.tenantml.model.Objective;
import io.tenantml.model.XGBoostParams;
import io.tenantml.training.BoostingListener;
import io.tenantml.training.ModelSpec;
import io.tenantml.training.ModelTrainer;
import io.tenantml.training.TestDatasets;
import io.tenantml.training.TrainedModel;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelArtifactTest {

    private static final long SEED = 11L;
    private static TestDatasets.Fixture penguins;
    private static byte[] file;
    private static float[][] predictedAtTraining;
    private static ModelProvenance provenance;

    @BeforeAll
    static void train() throws Exception {
        penguins = TestDatasets.penguins();
        ModelSpec spec = new ModelSpec(
                "penguins",
                "Species",
                null,
                Objective.MULTICLASS,
                null,
                new XGBoostParams(null, null, 20, null, null, null, null, null, null, SEED),
                null,
                null,
                null,
                null);
        try (TrainedModel model =
                ModelTrainer.train(spec, penguins.schema(), penguins.rows().iterator(), 1, BoostingListener.NONE)) {
            provenance = new ModelProvenance(
                    "acme",
                    "penguins",
                    "t-1",
                    "penguins",
                    1,
                    "ab".repeat(32),
                    spec.params(),
                    SEED,
                    1,
                    List.of("Island"),
                    model.rounds(),
                    model.bestIteration(),
                    "3.4.0",
                    "25",
                    "0.1.0",
                    Instant.parse("2026-01-01T00:00:00Z"),
                    model.split());
            file = ModelArtifact.write(
                    model.booster(), new ModelArtifact.Metadata(model.transform(), model.target(), provenance));
            predictedAtTraining = model.booster()
                    .predict(model.transform()
                            .bind(penguins.schema())
                            .matrix(
                                    model.validationRows(),
                                    java.util.stream.IntStream.range(
                                                    0, model.validationRows().size())
                                            .toArray(),
                                    null));
        }
    }

    @Test
    void shouldLoadWithUnchangedPredictionsAndProvenance() throws Exception {
        try (LoadedModel loaded = ModelArtifact.read(file, ModelArtifact.sha256(file))) {
            assertThat(loaded.provenance()).isEqualTo(provenance);
            assertThat(loaded.target().classes()).containsExactly("Adelie", "Chinstrap", "Gentoo");
            List<Object[]> validation = validationRows();
            assertThat(loaded.predictRows(penguins.schema(), validation)).isDeepEqualTo(predictedAtTraining);
            assertThat(loaded.bytes()).isEqualTo(file.length);
        }
    }

    @Test
    void shouldRefuseATamperedFile() {
        String sha = ModelArtifact.sha256(file);
        byte[] tampered = file.clone();
        tampered[tampered.length / 2] ^= 1;
        assertThatThrownBy(() -> ModelArtifact.read(tampered, sha))
                .isInstanceOf(TamperedModelException.class)
                .hasMessageContaining("refused")
                .hasMessageContaining(sha);
    }

    private static List<Object[]> validationRows() throws Exception {
        // the trainer's split is deterministic: retraining gives the same validation rows
        ModelSpec spec = new ModelSpec(
                "penguins",
                "Species",
                null,
                Objective.MULTICLASS,
                null,
                new XGBoostParams(null, null, 1, null, null, null, null, null, null, SEED),
                null,
                null,
                null,
                null);
        try (TrainedModel again =
                ModelTrainer.train(spec, penguins.schema(), penguins.rows().iterator(), 1, BoostingListener.NONE)) {
            return again.validationRows();
        }
    }
}
