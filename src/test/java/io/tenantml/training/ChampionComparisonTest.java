package io.tenantml.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.model.GateDecision;
import io.tenantml.model.Metrics;
import io.tenantml.model.ModelProvenance;
import io.tenantml.model.Objective;
import io.tenantml.model.PositiveClass;
import io.tenantml.model.SplitSpec;
import io.tenantml.model.XGBoostParams;
import io.tenantml.registry.LoadedModel;
import io.tenantml.registry.ModelArtifact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The gate's champion comparison with real XGBoost models and a real model file: a champion trained on version 1
 * of a dataset, a candidate on version 2 (version 1 and appended rows), as a retraining after new data meets them.
 */
class ChampionComparisonTest {

    private static final long DATA_SEED = 20_260_101L;
    private static final int NOISE = 6;
    private static final DatasetSchema SCHEMA = schema();
    /** The gate's default metric for binary models. */
    private static final GateSpec GATE = new GateSpec(null, 0.0).resolve(Objective.BINARY);

    @Test
    void shouldScoreTheChampionOnlyOnTheCandidatesValidationRowsItDidNotTrainOn() throws Exception {
        List<Object[]> first = rows(0, 1_500);
        List<Object[]> second = new ArrayList<>(first);
        second.addAll(rows(1_500, 2_000));
        // a retraining with another seed: many of the candidate's validation rows trained the champion (with the
        // same seed the hash split would have kept them in training)
        try (TrainedModel championTraining = train(first, params(4, 0.3, 60, 5, 1));
                LoadedModel champion = saveAndLoad(championTraining);
                TrainedModel candidate = train(second, params(4, 0.3, 60, 5, 2))) {
            Set<Long> trainedOn = idsOf(first);
            idsOf(championTraining.validationRows()).forEach(trainedOn::remove);
            // independently of heldOutBy: the rows the champion's split (its seed, its fraction) sends to
            // validation had it been given version 2; on version 1's rows that is where they were
            Set<Long> championWouldValidate = new HashSet<>();
            Split championsOnSecond = Split.of(second, SCHEMA, new SplitSpec(SplitSpec.Method.RANDOM, 0.2), 1L, null);
            Arrays.stream(championsOnSecond.validation())
                    .forEach(i -> championWouldValidate.add((Long) second.get(i)[0]));
            assertThat(championWouldValidate).containsAll(idsOf(championTraining.validationRows()));
            long expected = candidate.validationRows().stream()
                    .filter(r -> championWouldValidate.contains((Long) r[0]))
                    .count();

            ChampionComparison comparison =
                    ChampionComparison.of(1, champion, spec(params(4, 0.3, 60, 5, 2)), SCHEMA, candidate, 30);
            GateDecision decision = Gate.decide(GATE, candidate.metrics(), candidate.baseline(), comparison);

            System.out.printf(
                    "candidate validation %d rows, %d held out from the champion%n",
                    candidate.validationRows().size(), expected);
            assertThat(comparison.basis()).isEqualTo(ChampionComparison.Basis.HELD_OUT_ROWS);
            assertThat(comparison.rows()).isEqualTo((int) expected).isLessThan(comparison.validationRows());
            assertThat(comparison.validationRows())
                    .isEqualTo(candidate.validationRows().size());
            assertThat(decision.championRows()).isEqualTo((int) expected);
            assertThat(decision.reason())
                    .contains(String.format(
                            "champion and candidate scored on %,d of %,d validation rows the champion did not train on",
                            expected, candidate.validationRows().size()));
            // and none of them is a row the champion trained on
            int[] heldOut = Split.heldOutBy(champion.provenance().split(), SCHEMA, candidate.validationRows());
            assertThat(Arrays.stream(heldOut)
                            .mapToObj(i -> (Long) candidate.validationRows().get(i)[0]))
                    .doesNotContainAnyElementsOf(trainedOn);
        }
    }

    @Test
    void shouldKeepEveryValidationRowComparableWhenTheCandidateKeepsTheChampionsSeed() throws Exception {
        List<Object[]> first = rows(0, 1_000);
        List<Object[]> second = new ArrayList<>(first);
        second.addAll(rows(1_000, 1_400));
        try (TrainedModel championTraining = train(first, params(4, 0.3, 40, 5, 7));
                LoadedModel champion = saveAndLoad(championTraining);
                TrainedModel candidate = train(second, params(4, 0.3, 40, 5, 7))) {
            Set<Long> trainedOn = idsOf(first);
            idsOf(championTraining.validationRows()).forEach(trainedOn::remove);

            ChampionComparison comparison =
                    ChampionComparison.of(1, champion, spec(params(4, 0.3, 40, 5, 7)), SCHEMA, candidate, 30);

            // the hash split keeps version 1's rows where they were: none the champion trained on validates
            assertThat(idsOf(candidate.validationRows())).doesNotContainAnyElementsOf(trainedOn);
            assertThat(comparison.rows()).isEqualTo(candidate.validationRows().size());
            // the same rows and labels: the candidate's score on them is its validation score
            assertThat(comparison.candidate().get("auc"))
                    .isEqualTo(candidate.metrics().get("auc"));
        }
    }

    @Test
    void shouldPassABetterCandidateThatScoringTheChampionOnItsOwnTrainingRowsWouldRefuse() throws Exception {
        // the champion memorised version 1: deep trees, no regularisation, no early stopping, on six noise columns
        // beside the two that carry the signal; the candidate is shallow and stops early
        List<Object[]> first = rows(0, 2_000);
        List<Object[]> second = new ArrayList<>(first);
        second.addAll(rows(2_000, 2_600));
        XGBoostParams overfit = new XGBoostParams(14, 0.3, 150, 0, 1.0, 1.0, 0.0, 0.0, 0.0, 1L);
        XGBoostParams sound = params(2, 0.1, 300, 20, 2);
        try (TrainedModel championTraining = train(first, overfit);
                LoadedModel champion = saveAndLoad(championTraining);
                TrainedModel candidate = train(second, sound)) {

            // as the gate was: the champion on all the candidate's validation rows, most of which it trained on
            float[][] onAll = champion.predictRows(SCHEMA, candidate.validationRows());
            double championOnAll = Metrics.compute(Objective.BINARY, candidate.validationLabels(), onAll)
                    .get("auc");
            ChampionComparison comparison = ChampionComparison.of(1, champion, spec(sound), SCHEMA, candidate, 30);
            GateDecision decision = Gate.decide(GATE, candidate.metrics(), candidate.baseline(), comparison);
            System.out.printf(
                    "candidate auc %.4f on all %d validation rows; champion %.4f on them; on the %d held out:"
                            + " candidate %.4f, champion %.4f%n",
                    candidate.metrics().get("auc"),
                    candidate.validationRows().size(),
                    championOnAll,
                    comparison.rows(),
                    comparison.candidate().get("auc"),
                    comparison.champion().get("auc"));

            assertThat(championOnAll)
                    .as("the champion looks better on rows it trained on")
                    .isGreaterThan(candidate.metrics().get("auc"));
            assertThat(decision.passed()).as(decision.reason()).isTrue();
            assertThat(decision.champion()).isLessThan(decision.candidateOnChampionRows());
        }
    }

    @Test
    void shouldGateAgainstTheBaselineOnlyWhenTooFewValidationRowsAreHeldOutFromTheChampion() throws Exception {
        List<Object[]> first = rows(0, 1_000);
        try (TrainedModel championTraining = train(first, params(4, 0.3, 40, 5, 3));
                LoadedModel champion = saveAndLoad(championTraining);
                TrainedModel candidate = train(first, params(4, 0.3, 40, 5, 4))) {

            ChampionComparison comparison =
                    ChampionComparison.of(1, champion, spec(params(4, 0.3, 40, 5, 4)), SCHEMA, candidate, 1_000);
            GateDecision decision = Gate.decide(GATE, candidate.metrics(), candidate.baseline(), comparison);

            assertThat(comparison.basis()).isEqualTo(ChampionComparison.Basis.TOO_FEW_ROWS);
            assertThat(decision.champion()).isNull();
            assertThat(decision.reason()).contains("gated against the baseline only");
        }
    }

    @Test
    void shouldScoreAChampionWithoutARecordedSplitOnAllValidationRowsAndSaySo() throws Exception {
        List<Object[]> first = rows(0, 800);
        try (TrainedModel championTraining = train(first, params(4, 0.3, 40, 5, 5));
                LoadedModel champion = saveAndLoad(championTraining, null);
                TrainedModel candidate = train(first, params(4, 0.3, 40, 5, 6))) {

            ChampionComparison comparison =
                    ChampionComparison.of(1, champion, spec(params(4, 0.3, 40, 5, 6)), SCHEMA, candidate, 30);
            GateDecision decision = Gate.decide(GATE, candidate.metrics(), candidate.baseline(), comparison);

            assertThat(comparison.basis()).isEqualTo(ChampionComparison.Basis.SPLIT_UNKNOWN);
            assertThat(decision.championRows())
                    .isEqualTo(candidate.validationRows().size());
            assertThat(decision.reason()).contains("split is not recorded");
        }
    }

    @Test
    void shouldReadTheProvenanceOfAVersionFromBeforeSplitsWereRecorded() throws Exception {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        String older = """
                {"tenant":"acme","model":"m","trainingId":"t","dataset":"d","datasetVersion":1,
                 "datasetSha256":"ab","seed":42,"threads":1,"rounds":3,"bestIteration":2,"xgboost":"3.4.0",
                 "java":"25","platform":"dev","createdAt":"2026-01-01T00:00:00Z"}""";
        assertThat(json.readValue(older, ModelProvenance.class).split()).isNull();
    }

    private static TrainedModel train(List<Object[]> rows, XGBoostParams params) throws Exception {
        List<DatasetRow> typed = IntStream.range(0, rows.size())
                .mapToObj(i -> new DatasetRow(i + 1, rows.get(i)))
                .toList();
        return ModelTrainer.train(spec(params), SCHEMA, typed.iterator(), 2, BoostingListener.NONE);
    }

    private static LoadedModel saveAndLoad(TrainedModel model) throws Exception {
        return saveAndLoad(model, model);
    }

    /** Through the model file, as the registry keeps it; {@code split} null writes no split (an older version). */
    private static LoadedModel saveAndLoad(TrainedModel model, TrainedModel split) throws Exception {
        ModelProvenance provenance = new ModelProvenance(
                "acme",
                "churn",
                "t-1",
                "churn",
                1,
                "ab".repeat(32),
                XGBoostParams.DEFAULTS,
                42,
                2,
                List.of(),
                model.rounds(),
                model.bestIteration(),
                "3.4.0",
                "25",
                "test",
                Instant.parse("2026-01-01T00:00:00Z"),
                split == null ? null : split.split());
        byte[] file = ModelArtifact.write(
                model.booster(), new ModelArtifact.Metadata(model.transform(), model.target(), provenance));
        return ModelArtifact.read(file, ModelArtifact.sha256(file));
    }

    private static ModelSpec spec(XGBoostParams params) {
        List<String> features = new ArrayList<>(List.of("usage", "plan"));
        for (int k = 0; k < NOISE; k++) {
            features.add("noise" + k);
        }
        return new ModelSpec(
                "churn",
                "churned",
                features,
                Objective.BINARY,
                new PositiveClass(null, "true"),
                params,
                new SplitSpec(SplitSpec.Method.RANDOM, 0.2),
                GATE,
                null,
                true);
    }

    private static XGBoostParams params(int depth, double eta, int rounds, int earlyStopping, long seed) {
        return new XGBoostParams(depth, eta, rounds, earlyStopping, 0.8, 0.9, 1.0, 1.0, 0.0, seed);
    }

    /**
     * Rows with ids from..to-1, each from a generator seeded by the data seed and its id (so a row is the same in
     * every version): churn with probability σ(1.2 × usage + plan effect), plus noise columns that carry nothing.
     */
    private static List<Object[]> rows(int from, int to) {
        List<Object[]> rows = new ArrayList<>();
        for (int id = from; id < to; id++) {
            SplittableRandom random = new SplittableRandom(DATA_SEED * 31 + id);
            double usage = Math.round((random.nextDouble() * 4 - 2) * 1000) / 1000.0;
            String plan = List.of("basic", "pro", "team").get(random.nextInt(3));
            double effect = plan.equals("basic") ? 0.4 : plan.equals("pro") ? -0.3 : -0.6;
            Object[] row = new Object[4 + NOISE];
            row[0] = (long) id;
            row[1] = usage;
            row[2] = plan;
            for (int k = 0; k < NOISE; k++) {
                row[4 + k] = Math.round(random.nextDouble() * 1e6) / 1e6;
            }
            row[3] = random.nextDouble() < 1 / (1 + Math.exp(-(1.2 * usage + effect))) ? "true" : "false";
            rows.add(row);
        }
        return rows;
    }

    private static Set<Long> idsOf(List<Object[]> rows) {
        Set<Long> ids = new HashSet<>();
        rows.forEach(r -> ids.add((Long) r[0]));
        return ids;
    }

    private static DatasetSchema schema() {
        List<ColumnSchema> columns = new ArrayList<>(List.of(
                new ColumnSchema("id", ColumnType.INTEGER, false, null, null, null),
                new ColumnSchema("usage", ColumnType.NUMERIC, true, null, null, null),
                new ColumnSchema("plan", ColumnType.CATEGORICAL, true, null, null, null),
                new ColumnSchema("churned", ColumnType.CATEGORICAL, true, null, null, null)));
        for (int k = 0; k < NOISE; k++) {
            columns.add(new ColumnSchema("noise" + k, ColumnType.NUMERIC, true, null, null, null));
        }
        return new DatasetSchema(columns, "id", null);
    }
}
