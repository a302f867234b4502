package io.tenantml.training;

import static io.tenantml.testing.Fixtures.startTraining;
import static io.tenantml.training.TrainingResourceTest.awaitEnd;
import static io.tenantml.training.TrainingResourceTest.base;
import static io.tenantml.training.TrainingResourceTest.putModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tenantml.dataset.CellParser;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.model.SplitProvenance;
import io.tenantml.model.SplitSpec;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.registry.TamperedModelException;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.ChurnRows;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.RunCommits;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TrainingLifecycleResourceTest {

    @Inject
    BlobStore blobs;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ModelRegistry registry;

    @Inject
    TenantScope scope;

    static Map<String, Object> penguins(double minImprovement) {
        return Map.of(
                "dataset",
                "penguins",
                "target",
                "Species",
                "objective",
                "multiclass",
                "params",
                Map.of("numRounds", 20, "seed", 5),
                "gate",
                Map.of("metric", "accuracy", "minImprovement", minImprovement));
    }

    private static Map<String, Object> flights(int rounds, double eta, int earlyStopping) {
        return Map.of(
                "dataset",
                "flights",
                "target",
                "delay",
                "objective",
                "binary",
                "positive",
                Map.of("above", 15),
                "features",
                List.of("date", "distance", "origin", "destination"),
                "params",
                Map.of("numRounds", rounds, "eta", eta, "earlyStoppingRounds", earlyStopping, "maxDepth", 8, "seed", 9),
                "split",
                Map.of("method", "time", "holdoutFraction", 0.2));
    }

    /**
     * A training's version, production's move to it and its reference profile appear with its success, never while
     * it still runs: a client that sees the new production version can read the training that made it, and a node
     * that lost the run to another commits none of them.
     */
    @Test
    void shouldRegisterTheVersionMoveProductionAndStoreTheReferenceInTheCommitThatRecordsTheSuccess()
            throws SQLException {
        String tenant = Api.uniqueTenant("commit");
        String admin = Api.createTenant(tenant);
        TrainingData.penguins(tenant, admin, "penguins");
        putModel(tenant, admin, "species", penguins(0)).then().statusCode(201);
        String training = startTraining(tenant, admin, "species");
        assertThat(awaitEnd(tenant, admin, training, new ConcurrentSkipListSet<>())
                        .get("status"))
                .isEqualTo("succeeded");
        Api.as(admin).get(base(tenant) + "/models/species").then().body("aliases.production", equalTo(1));

        UUID run = UUID.fromString(training);
        RunCommits.assertWrittenWithRun(
                dataSource, run, "model_version", "t.tenant_id = ? and t.training_id = ?", tenant, run);
        RunCommits.assertWrittenWithRun(
                dataSource,
                run,
                "model_alias",
                "t.tenant_id = ? and t.model = 'species' and t.alias = 'production'",
                tenant);
        RunCommits.assertWrittenWithRun(
                dataSource,
                run,
                "model_reference",
                "t.tenant_id = ? and t.model = 'species' and t.version = 1",
                tenant);
        RunCommits.assertWrittenWithRun(dataSource, run, "training", "t.tenant_id = ? and t.id = ?", tenant, run);
    }

    @Test
    void shouldKeepProductionWhenTheGateCannotBeMetAndRecordTheRollback() {
        String tenant = Api.uniqueTenant("gate");
        String admin = Api.createTenant(tenant);
        TrainingData.penguins(tenant, admin, "penguins");

        putModel(tenant, admin, "species", penguins(0)).then().statusCode(201);
        assertThat(awaitEnd(tenant, admin, startTraining(tenant, admin, "species"), new ConcurrentSkipListSet<>())
                        .get("status"))
                .isEqualTo("succeeded");
        // a negative minimum improvement lets an equal candidate through: version 2 becomes production
        putModel(tenant, admin, "species", penguins(-1)).then().statusCode(200);
        assertThat(awaitEnd(tenant, admin, startTraining(tenant, admin, "species"), new ConcurrentSkipListSet<>())
                        .get("status"))
                .isEqualTo("succeeded");
        Api.as(admin).get(base(tenant) + "/models/species").then().body("aliases.production", equalTo(2));

        // accuracy cannot improve by 1.0 (it is at most 1): the gate cannot be met
        putModel(tenant, admin, "species", penguins(1.0)).then().statusCode(200);
        Map<String, Object> rejected =
                awaitEnd(tenant, admin, startTraining(tenant, admin, "species"), new ConcurrentSkipListSet<>());
        assertThat(rejected.get("status")).as("%s", rejected).isEqualTo("rejected");
        assertThat(rejected)
                .extracting("gate")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("passed", false)
                .containsEntry("metric", "accuracy")
                .containsKey("champion");
        Api.as(admin)
                .get(base(tenant) + "/models/species/versions/3")
                .then()
                .statusCode(200)
                .body("status", equalTo("rejected"))
                .body("reason", containsString("is below required 1.0"))
                .body("aliases.size()", equalTo(0));
        Api.as(admin).get(base(tenant) + "/models/species").then().body("aliases.production", equalTo(2));

        // a rejected version cannot become production; rolling back to version 1 is recorded
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("version", 3))
                .put(base(tenant) + "/models/species/aliases/production")
                .then()
                .statusCode(409);
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("version", 1, "reason", "rollback"))
                .put(base(tenant) + "/models/species/aliases/production")
                .then()
                .statusCode(200)
                .body("aliases", equalTo(List.of("production")));
        Api.as(admin)
                .get(base(tenant) + "/models/species/aliases")
                .then()
                .statusCode(200)
                .body("items.find { it.alias == 'production' }.version", equalTo(1));
        Api.as(admin)
                .get(base(tenant) + "/models/species/alias-history")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(3))
                .body("items[2].fromVersion", equalTo(2))
                .body("items[2].toVersion", equalTo(1))
                .body("items[2].reason", equalTo("rollback"))
                .body("items[2].actor", containsString("admin"))
                .body("items[2].at", org.hamcrest.Matchers.notNullValue());
        Api.as(admin)
                .delete(base(tenant) + "/models/species/aliases/staging")
                .then()
                .statusCode(404);
    }

    @Test
    void shouldScoreTheChampionOnlyOnValidationRowsItDidNotTrainOnAfterRowsAreAppended() {
        String tenant = Api.uniqueTenant("gaterows");
        String admin = Api.createTenant(tenant);
        List<ColumnSchema> columns = List.of(
                new ColumnSchema("usage", ColumnType.NUMERIC, true, null, null, null),
                new ColumnSchema("plan", ColumnType.CATEGORICAL, true, null, null, null),
                new ColumnSchema("churned", ColumnType.BOOLEAN, true, null, null, null));
        Fixtures.declareDataset(
                tenant,
                admin,
                "customers",
                Map.of(
                        "columns",
                        columns.stream()
                                .map(c -> Map.of(
                                        "name", c.name(), "type", c.type().wireName()))
                                .toList()));
        ChurnRows.Truth truth = new ChurnRows.Truth(2.5, 1.2, -0.4, -1.6);
        List<ChurnRows.Row> first = ChurnRows.rows(truth, 11, 2_000);
        List<ChurnRows.Row> second = new ArrayList<>(first);
        second.addAll(ChurnRows.rows(truth, 12, 1_000));
        Fixtures.uploadVersion(tenant, admin, "customers", "text/csv", ChurnRows.csv(first));
        Fixtures.defineModel(tenant, admin, "churn", churn(5), true);
        assertThat(Fixtures.train(tenant, admin, "churn")).isEqualTo(1);
        Api.as(admin)
                .get(base(tenant) + "/models/churn/versions/1")
                .then()
                .statusCode(200)
                .body("provenance.split.method", equalTo("random"))
                .body("provenance.split.seed", equalTo(5))
                .body("provenance.split.rowHash", equalTo(SplitProvenance.ROW_HASH))
                .body("provenance.split.validationBelow", equalTo(0.2f));

        // version 2 appends 1,000 rows; the retraining takes another seed, so its validation rows mix rows the
        // champion validated on, rows it trained on and rows it never saw
        Fixtures.uploadVersion(tenant, admin, "customers", "text/csv", ChurnRows.csv(second));
        Fixtures.defineModel(tenant, admin, "churn", churn(6), true);
        io.restassured.response.Response end =
                Fixtures.awaitEnd(admin, Fixtures.trainingPath(tenant, startTraining(tenant, admin, "churn")));
        assertThat(end.<String>path("status")).as(end.asString()).isIn("succeeded", "rejected");

        // independently of the server: version 2's rows as ingestion types them, split as each model split them;
        // the champion can be scored on the candidate's validation rows its own split sends to validation
        DatasetSchema schema = new DatasetSchema(columns, null, null);
        List<Object[]> typed = second.stream()
                .map(r -> new Object[] {
                    CellParser.read(columns.get(0), String.format(Locale.ROOT, "%.3f", r.usage())),
                    r.plan(),
                    r.churned()
                })
                .toList();
        SplitSpec random = new SplitSpec(SplitSpec.Method.RANDOM, 0.2);
        Split candidate = Split.of(typed, schema, random, 6, null);
        Set<Integer> championValidates = new HashSet<>();
        for (int i : Split.of(typed, schema, random, 5, null).validation()) {
            championValidates.add(i);
        }
        long expected = Arrays.stream(candidate.validation())
                .filter(championValidates::contains)
                .count();
        assertThat(expected).isGreaterThanOrEqualTo(30).isLessThan(candidate.validation().length);
        assertThat(end.<Integer>path("gate.championRows")).as(end.asString()).isEqualTo((int) expected);
        assertThat(end.<String>path("gate.reason"))
                .contains(String.format(
                        Locale.ROOT,
                        "champion and candidate scored on %,d of %,d validation rows the champion did not train on",
                        expected,
                        candidate.validation().length));
    }

    private static Map<String, Object> churn(long seed) {
        return ChurnRows.spec(
                Map.of("numRounds", 30, "eta", 0.3, "maxDepth", 3, "seed", seed),
                Map.of("split", Map.of("method", "random", "holdoutFraction", 0.2)));
    }

    @Test
    void shouldTrainFlightsAndRefuseASecondTrainingWhileOneRuns() {
        String tenant = Api.uniqueTenant("flights");
        String admin = Api.createTenant(tenant);
        TrainingData.flights(tenant, admin, "flights");

        putModel(tenant, admin, "delayed", flights(60, 0.3, 10)).then().statusCode(201);
        Map<String, Object> first =
                awaitEnd(tenant, admin, startTraining(tenant, admin, "delayed"), new ConcurrentSkipListSet<>());
        assertThat(first.get("status")).as("%s", first).isEqualTo("succeeded");
        assertThat(first.get("modelVersion")).isEqualTo(1);
        Api.as(admin)
                .get(base(tenant) + "/models/delayed/versions/1")
                .then()
                .body("metrics.auc", org.hamcrest.Matchers.greaterThan(0.55f))
                .body("baseline.auc", equalTo(0.5f))
                .body("aliases", equalTo(List.of("production")));

        // a long training: many rounds without early stopping
        putModel(tenant, admin, "delayed", flights(4000, 0.01, 0)).then().statusCode(200);
        String running = startTraining(tenant, admin, "delayed");
        Set<Double> progress = new ConcurrentSkipListSet<>();
        await().atMost(Fixtures.JOB_TIMEOUT) // queued, then the flights read and the first rounds trained
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    progress.add(((Number) Api.as(admin)
                                    .get(base(tenant) + "/trainings/" + running)
                                    .path("progress"))
                            .doubleValue());
                    return progress.stream().filter(p -> p > 0 && p < 1).count() >= 3;
                });
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body("{}")
                .post(base(tenant) + "/models/delayed/trainings")
                .then()
                .statusCode(409)
                .body("running", equalTo(running))
                .body("detail", containsString(running));

        Api.as(admin).delete(base(tenant) + "/trainings/" + running).then().statusCode(200);
        Map<String, Object> cancelled = awaitEnd(tenant, admin, running, progress);
        assertThat(cancelled.get("status")).isEqualTo("cancelled");
        Api.as(admin).delete(base(tenant) + "/trainings/" + running).then().statusCode(409);
        Api.as(admin).get(base(tenant) + "/models/delayed/versions").then().body("items.size()", equalTo(1));
    }

    private static byte[] penguinsAllAlike(int rows) {
        return ("Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex\n"
                        + "Adelie,Torgersen,39.1,18.7,181,3750,MALE\n".repeat(rows))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Rows that are all alike cannot be split (identical rows share a side). That is the tenant's data, not an
     * incident: the training fails with its own code and a message that says so, and registers nothing.
     */
    @Test
    void shouldFailATrainingOnRowsThatAreAllAlikeWithTooFewRowsAndSaySo() {
        String tenant = Api.uniqueTenant("alike");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "penguins", "text/csv", penguinsAllAlike(20));
        putModel(
                        tenant,
                        admin,
                        "mass",
                        Map.of("dataset", "penguins", "target", "Body Mass (g)", "objective", "regression"))
                .then()
                .statusCode(201);

        Map<String, Object> end =
                awaitEnd(tenant, admin, startTraining(tenant, admin, "mass"), new ConcurrentSkipListSet<>());

        assertThat(end.get("status")).isEqualTo("failed");
        assertThat(end.get("errorCode")).isEqualTo("too-few-rows");
        assertThat((String) end.get("error")).contains("20").contains("same values");
        Api.as(admin).get(base(tenant) + "/models/mass/versions").then().body("items.size()", equalTo(0));
    }

    /** A multiclass spec is valid for the schema, but rows of one species leave one class: said, not an incident. */
    @Test
    void shouldFailAMulticlassTrainingOnRowsOfOneClassWithInvalidSpecNamingTheTarget() {
        String tenant = Api.uniqueTenant("oneclass");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "penguins", "text/csv", penguinsAllAlike(20));
        putModel(tenant, admin, "species", penguins(0)).then().statusCode(201);

        Map<String, Object> end =
                awaitEnd(tenant, admin, startTraining(tenant, admin, "species"), new ConcurrentSkipListSet<>());

        assertThat(end.get("status")).isEqualTo("failed");
        assertThat(end.get("errorCode")).isEqualTo("invalid-spec");
        assertThat((String) end.get("error")).startsWith("target: ").contains("two classes");
    }

    @Test
    void shouldRefuseATamperedModelFileAtLoad() throws Exception {
        String tenant = Api.uniqueTenant("tamper");
        String admin = Api.createTenant(tenant);
        TrainingData.penguins(tenant, admin, "penguins");
        putModel(tenant, admin, "species", penguins(0)).then().statusCode(201);
        assertThat(awaitEnd(tenant, admin, startTraining(tenant, admin, "species"), new ConcurrentSkipListSet<>())
                        .get("status"))
                .isEqualTo("succeeded");

        TenantId id = new TenantId(tenant);
        BlobKey file = blobs.list(id, "models/species/").getFirst();
        byte[] bytes;
        try (var in = blobs.open(id, file).orElseThrow()) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length / 2] ^= 1;
        blobs.put(id, file, new ByteArrayInputStream(bytes));

        assertThatThrownBy(() -> scope.run(id, () -> registry.load("species", 1).close()))
                .isInstanceOf(TamperedModelException.class)
                .hasMessageContaining("refused")
                .hasMessageContaining("SHA-256");
        // the next training scores the champion: it refuses the file and fails with the reason
        Map<String, Object> next =
                awaitEnd(tenant, admin, startTraining(tenant, admin, "species"), new ConcurrentSkipListSet<>());
        assertThat(next.get("status")).isEqualTo("failed");
        assertThat(next.get("errorCode")).isEqualTo("model-file-refused");
        assertThat((String) next.get("error")).contains("refused");
    }

    @Test
    void shouldRetrainOnScheduleAndRecordSkippedRunsWithoutNewData() {
        String tenant = Api.uniqueTenant("cron");
        String admin = Api.createTenant(tenant);
        TrainingData.penguins(tenant, admin, "penguins");
        Map<String, Object> spec = new HashMap<>(penguins(-1));
        spec.put("schedule", "0/1 * * * * ?");
        putModel(tenant, admin, "species", spec).then().statusCode(201);
        // every fire while a training is queued or running is a skipped row, newest first: one page of the default
        // 50 would lose the training itself once it took longer than 50 fires
        String trainings = base(tenant) + "/trainings?model=species&limit=1000";

        // a fire while the first training is still queued is skipped for that reason; later ones for no new data.
        // The wait covers a whole training (queued behind any other on the node's one training slot), then a fire
        await().atMost(Fixtures.JOB_TIMEOUT).until(() -> {
            List<String> skipped = Api.as(admin).get(trainings).path("items.findAll { it.status == 'skipped' }.error");
            return skipped.stream().anyMatch(reason -> reason.contains("no new data"));
        });
        Api.as(admin)
                .get(trainings)
                .then()
                .body("items.findAll { it.status == 'succeeded' }.trigger", hasItem("schedule"));

        // new data arrives: the next scheduled run trains on version 2
        TrainingData.penguins(
                tenant, admin, "penguins", record -> !record.path("Sex").isNull());
        await().atMost(Fixtures.JOB_TIMEOUT).until(() -> {
            List<Integer> versions =
                    Api.as(admin).get(trainings).path("items.findAll { it.status == 'succeeded' }.datasetVersion");
            return versions.contains(2);
        });
        spec.remove("schedule");
        putModel(tenant, admin, "species", spec).then().statusCode(200);
        Api.as(admin).get(base(tenant) + "/models/species/versions").then().body("items.size()", equalTo(2));
    }
}
