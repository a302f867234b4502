package io.tenantml.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.monitoring.PredictionLog;
import io.tenantml.rules.internal.RuleEvaluator;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.ChurnRows;
import io.tenantml.testing.Fixtures;
import io.tenantml.webhooks.WebhookReceiver;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, acceptance 2: a version promoted automatically (a rule's retrain that passed the gate) is watched, and
 * when its realised performance falls (the test answers its predictions with the wrong labels) production moves
 * back on its own. A churn model (binary; churn rises with {@code usage} and depends on {@code plan}; seed
 * {@value #SEED}) is trained once by hand (version 1); the rule {@code volumeZero -> retrain} with a watch fires on
 * the first window run, which has no traffic, so that its retraining (version 2, equal data, a gate that lets an
 * equal model through) is the automatic promotion. Windows are driven by {@code POST .../monitoring/run}.
 */
@QuarkusTest
class AutomaticRollbackResourceTest {

    private static final long SEED = 31L;
    private static final String MODEL = "churn";
    private static final ChurnRows.Truth TRUTH = new ChurnRows.Truth(2.5, 1.2, -0.4, -1.6);
    /** Allow-listed in the test profile for this class alone. */
    private static final int RECEIVER_PORT = 18597;

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static WebhookReceiver receiver;

    @Inject
    PredictionLog log;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RuleEvaluator evaluator;

    @Inject
    TenantScope tenants;

    @BeforeAll
    static void startReceiver() {
        receiver = new WebhookReceiver(RECEIVER_PORT);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static String base(String tenant) {
        return Fixtures.base(tenant) + "/models/" + MODEL;
    }

    /**
     * A tenant whose production is version 2, promoted automatically by the retrain of rule 0 (watched for 3
     * windows, rollback margin 0.1 of accuracy, at least 50 labels), version 1 before it; a webhook endpoint
     * subscribed to model.rolled_back and monitoring.performance. Returns tenant and admin key.
     */
    private String[] promotedByRule(String prefix) {
        String tenant = Api.uniqueTenant(prefix);
        String admin = Api.createTenant(tenant);
        Response hook = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "url",
                        receiver.url("/hooks/" + tenant),
                        "events",
                        List.of("model.rolled_back", "monitoring.performance")))
                .post(Fixtures.base(tenant) + "/webhooks");
        assertThat(hook.statusCode()).as(hook.asString()).isEqualTo(201);
        receiver.expect(tenant, hook.path("secret"));

        Fixtures.uploadVersion(
                tenant, admin, "customers", "text/csv", ChurnRows.csv(ChurnRows.rows(TRUTH, SEED, 3000)));
        Fixtures.defineModel(
                tenant,
                admin,
                MODEL,
                ChurnRows.spec(
                        Map.of("numRounds", 30, "eta", 0.3, "maxDepth", 3, "seed", SEED),
                        // the gate lets an equal retraining through, so that the rule's training is promoted
                        Map.of("gate", Map.of("metric", "accuracy", "minImprovement", -1000))),
                true);
        assertThat(Fixtures.train(tenant, admin, MODEL)).isEqualTo(1);

        Response put = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "rules",
                        List.of(Map.of(
                                "signal",
                                "volumeZero",
                                "action",
                                "retrain",
                                "watchWindows",
                                3,
                                "rollbackMargin",
                                0.1,
                                "metric",
                                "accuracy",
                                "minSamples",
                                50))))
                .put(base(tenant) + "/monitoring/rules");
        assertThat(put.statusCode()).as(put.asString()).isEqualTo(200);

        // a window run without traffic: volumeZero fires, the rule retrains, the gate passes, production moves
        runWindow(tenant, admin);
        String training = await("the rule's training to start")
                .atMost(WAIT)
                .until(
                        () -> Api.as(admin)
                                .get(base(tenant) + "/monitoring/rules")
                                .<String>path("rules[0].state.lastTraining"),
                        id -> id != null);
        Response trained = Fixtures.awaitEnd(admin, Fixtures.trainingPath(tenant, training));
        assertThat(trained.<String>path("status")).as(trained.asString()).isEqualTo("succeeded");
        assertThat(trained.<Integer>path("modelVersion")).isEqualTo(2);
        assertThat(production(tenant, admin)).as("auto-promoted").isEqualTo(2);

        Response watching = Api.as(admin).get(base(tenant) + "/monitoring/rules");
        assertThat(watching.<String>path("watches[0].status"))
                .as(watching.asString())
                .isEqualTo("watching");
        assertThat(watching.<Integer>path("watches[0].version")).isEqualTo(2);
        assertThat(watching.<Integer>path("watches[0].previousVersion")).isEqualTo(1);
        assertThat(watching.<String>path("watches[0].training")).isEqualTo(training);
        return new String[] {tenant, admin};
    }

    /** Serves 400 fresh records through /predict (by version 2) and answers every one with the wrong label. */
    private void serveWithWrongLabels(String tenant, String admin, long seed) throws Exception {
        serveWithLabels(tenant, admin, seed, 400, true);
    }

    /** Serves {@code n} (a multiple of 200) fresh records by version 2 and answers each, wrongly or truly. */
    private void serveWithLabels(String tenant, String admin, long seed, int n, boolean wrong) throws Exception {
        List<ChurnRows.Row> traffic = ChurnRows.rows(TRUTH, seed, n);
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < traffic.size(); from += 200) {
            List<Map<String, Object>> records = new ArrayList<>();
            traffic.subList(from, from + 200).forEach(r -> records.add(Map.of("usage", r.usage(), "plan", r.plan())));
            Response r = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("records", records))
                    .post(base(tenant) + "/predict");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            assertThat(r.<Integer>path("version")).isEqualTo(2);
            ids.addAll(r.jsonPath().getList("predictions.id"));
        }
        assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
        List<Map<String, Object>> labels = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            labels.add(Map.of(
                    "predictionId",
                    ids.get(i),
                    "label",
                    Boolean.toString(wrong != traffic.get(i).churned())));
        }
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(labels)
                .post(base(tenant) + "/feedback")
                .then()
                .statusCode(202);
    }

    private static String runWindow(String tenant, String admin) {
        return Fixtures.runMonitoring(tenant, admin, MODEL);
    }

    private static int production(String tenant, String admin) {
        Response aliases = Api.as(admin).get(base(tenant) + "/aliases");
        assertThat(aliases.statusCode()).as(aliases.asString()).isEqualTo(200);
        List<String> names = aliases.path("items.alias");
        List<Integer> versions = aliases.path("items.version");
        return versions.get(names.indexOf("production"));
    }

    private int events(String tenant, String type) throws Exception {
        return Fixtures.events(dataSource, tenant, type);
    }

    @Test
    void shouldRollBackAnAutomaticallyPromotedVersionWhoseRealisedPerformanceFalls() throws Exception {
        String[] t = promotedByRule("rollback");
        String tenant = t[0];
        String admin = t[1];

        // first a window of true labels: the version holds, and that run counts once however often it is judged
        serveWithLabels(tenant, admin, SEED + 3, 200, false);
        String held = runWindow(tenant, admin);
        Response holding = Api.as(admin).get(base(tenant) + "/monitoring/rules");
        assertThat(holding.<String>path("watches[0].status"))
                .as(holding.asString())
                .isEqualTo("watching");
        assertThat(holding.<Integer>path("watches[0].counted")).isEqualTo(1);
        assertThat(holding.<String>path("watches[0].lastSource")).isEqualTo("realised");
        QuarkusTransaction.requiringNew()
                .run(() -> tenants.run(
                        new TenantId(tenant),
                        () -> evaluator.judged(MODEL, UUID.fromString(held), 200, Optional.empty())));
        Response again = Api.as(admin).get(base(tenant) + "/monitoring/rules");
        assertThat(again.<Integer>path("watches[0].counted"))
                .as(again.asString())
                .isEqualTo(1);
        assertThat(production(tenant, admin)).isEqualTo(2);

        // then 400 wrong labels: since the promotion, accuracy is about (200 x 0.87 + 400 x 0.13) / 600, far below
        // version 1's validation accuracy less 0.1
        serveWithWrongLabels(tenant, admin, SEED + 1);
        String run = runWindow(tenant, admin);

        // production is version 1 again, with the reason on the move and the system as the mover
        assertThat(production(tenant, admin)).isEqualTo(1);
        Response history = Api.as(admin).get(base(tenant) + "/alias-history?limit=100");
        List<Map<String, Object>> moves = history.path("items");
        Map<String, Object> last = moves.get(moves.size() - 1);
        assertThat(last).as(history.asString()).containsEntry("fromVersion", 2).containsEntry("toVersion", 1);
        assertThat(last.get("actor")).isEqualTo("system:rollback-watch");
        assertThat((String) last.get("reason"))
                .startsWith("automatic rollback: version 2's realised accuracy")
                .contains("on 600 labels")
                .contains("version 1's validation accuracy");

        Response rules = Api.as(admin).get(base(tenant) + "/monitoring/rules");
        JsonPath watch = rules.jsonPath().setRootPath("watches[0]");
        assertThat(watch.getString("status")).as(rules.asString()).isEqualTo("rolled-back");
        assertThat(watch.getString("lastSource")).isEqualTo("realised");
        assertThat(watch.getLong("lastSamples")).isEqualTo(600);
        assertThat(watch.getInt("counted")).isEqualTo(2);
        assertThat(watch.getDouble("lastValue"))
                .as("every label is the other class")
                .isLessThan(watch.getDouble("baseline") - 0.1);
        assertThat(watch.getString("baselineSource")).isEqualTo("validation");
        assertThat(watch.getString("lastRun")).isEqualTo(run);

        // the audit trail names the system, not a person
        Response audit = Api.as(admin).get("/api/v1/tenants/" + tenant + "/audit?action=model.alias.moved&limit=10");
        assertThat(audit.statusCode()).as(audit.asString()).isEqualTo(200);
        JsonPath entry = audit.jsonPath().setRootPath("items[0]");
        assertThat(entry.getString("actor.kind")).as(audit.asString()).isEqualTo("system");
        assertThat(entry.getString("actor.subject")).isEqualTo("rollback-watch");
        assertThat(entry.getString("summary.from")).isEqualTo("2");
        assertThat(entry.getString("summary.to")).isEqualTo("1");
        assertThat(entry.getString("summary.reason")).startsWith("automatic rollback");

        // the customer's receiver hears of it, signed, with an alert beside it
        await("model.rolled_back and monitoring.performance at the receiver")
                .atMost(WAIT)
                .until(() -> receiver.of(tenant).stream()
                        .map(WebhookReceiver.Received::type)
                        .toList()
                        .containsAll(List.of("model.rolled_back", "monitoring.performance")));
        WebhookReceiver.Received rolledBack = receiver.of(tenant).stream()
                .filter(r -> r.type().equals("model.rolled_back"))
                .findFirst()
                .orElseThrow();
        assertThat(rolledBack.verified()).as("signature verifies").isTrue();
        assertThat(rolledBack.body().path("data").path("from").asInt()).isEqualTo(2);
        assertThat(rolledBack.body().path("data").path("to").asInt()).isEqualTo(1);
        assertThat(rolledBack.body().path("data").path("actor").asText()).isEqualTo("system:rollback-watch");
        WebhookReceiver.Received alert = receiver.of(tenant).stream()
                .filter(r -> r.type().equals("monitoring.performance"))
                .findFirst()
                .orElseThrow();
        assertThat(alert.body().path("data").path("rolledBack").asBoolean()).isTrue();

        // the same run evaluated again, and a later window with more bad labels: no second rollback
        QuarkusTransaction.requiringNew()
                .run(() -> tenants.run(
                        new TenantId(tenant),
                        () -> evaluator.judged(MODEL, UUID.fromString(run), 400, Optional.empty())));
        runWindow(tenant, admin);
        assertThat(production(tenant, admin)).isEqualTo(1);
        assertThat(events(tenant, "model.rolled_back")).isEqualTo(1);
        assertThat(events(tenant, "monitoring.performance")).isEqualTo(1);
    }

    @Test
    void shouldNotRollBackAVersionTheTenantPromotedByHandAfterTheAutomaticPromotion() throws Exception {
        String[] t = promotedByRule("rollbackhand");
        String tenant = t[0];
        String admin = t[1];
        // a person moves production away and back: version 2 is now the tenant's own choice
        for (int version : new int[] {1, 2}) {
            Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("version", version, "reason", "by hand"))
                    .put(base(tenant) + "/aliases/production")
                    .then()
                    .statusCode(200);
        }
        Response ended = Api.as(admin).get(base(tenant) + "/monitoring/rules");
        assertThat(ended.<String>path("watches[0].status")).as(ended.asString()).isEqualTo("ended");
        assertThat(ended.<String>path("watches[0].note")).contains("moved by hand");

        serveWithWrongLabels(tenant, admin, SEED + 2);
        runWindow(tenant, admin);
        assertThat(production(tenant, admin)).isEqualTo(2);
        Response history = Api.as(admin).get(base(tenant) + "/alias-history?limit=100");
        assertThat(history.<List<String>>path("items.actor")).doesNotContain("system:rollback-watch");
        assertThat(events(tenant, "monitoring.performance")).isZero();
    }

    /** Putting production where it is moves nothing: it must not end the watch that guards the promotion. */
    @Test
    void shouldKeepWatchingWhenProductionIsPutToTheVersionItNamesAlready() {
        String[] t = promotedByRule("rollbacksame");
        String tenant = t[0];
        String admin = t[1];
        int moves = Api.as(admin)
                .get(base(tenant) + "/alias-history?limit=100")
                .<List<Object>>path("items")
                .size();
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("version", 2, "reason", "already there"))
                .put(base(tenant) + "/aliases/production")
                .then()
                .statusCode(200);
        Response rules = Api.as(admin).get(base(tenant) + "/monitoring/rules");
        assertThat(rules.<String>path("watches[0].status")).as(rules.asString()).isEqualTo("watching");
        assertThat(Api.as(admin).get(base(tenant) + "/alias-history?limit=100").<List<Object>>path("items"))
                .as("no move recorded")
                .hasSize(moves);
    }

    @Test
    void shouldKeepAWatchWhenARuleIsPutBeforeItsRule() throws Exception {
        String[] t = promotedByRule("rollbackedit");
        String tenant = t[0];
        String admin = t[1];
        // the version the watch may move back to keeps its file while the watch goes on
        Response purge = Api.as(admin).delete(base(tenant) + "/versions/1/artifact");
        assertThat(purge.statusCode()).as(purge.asString()).isEqualTo(409);
        assertThat(purge.<List<String>>path("usedBy"))
                .containsExactly("the rollback watch of version 2 (alias production) may move back to it");
        String rules = base(tenant) + "/monitoring/rules";
        Map<String, Object> watched = Map.of(
                "signal",
                "volumeZero",
                "action",
                "retrain",
                "watchWindows",
                3,
                "rollbackMargin",
                0.1,
                "metric",
                "accuracy",
                "minSamples",
                50);
        // a rule put before the watched one: the watch goes on, naming its rule where it is now
        Response edited = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "rules",
                        List.of(Map.of("name", "drift", "signal", "datasetDrift", "action", "alert"), watched)))
                .put(rules);
        assertThat(edited.statusCode()).as(edited.asString()).isEqualTo(200);
        assertThat(edited.<String>path("watches[0].status")).isEqualTo("watching");
        assertThat(edited.<String>path("watches[0].ruleKey")).isEqualTo(edited.path("rules[1].key"));
        assertThat(edited.<Integer>path("watches[0].rule")).isEqualTo(1);

        // and it still judges: wrong labels roll the version back
        serveWithWrongLabels(tenant, admin, SEED + 4);
        runWindow(tenant, admin);
        assertThat(production(tenant, admin)).isEqualTo(1);
        assertThat(Api.as(admin).get(rules).<String>path("watches[0].status")).isEqualTo("rolled-back");
    }

    @Test
    void shouldEndTheWatchOfARuleTheTenantRemoves() throws Exception {
        String[] t = promotedByRule("rollbackremoved");
        String tenant = t[0];
        String admin = t[1];
        String rules = base(tenant) + "/monitoring/rules";
        Response removed = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("rules", List.of(Map.of("signal", "datasetDrift", "action", "alert"))))
                .put(rules);
        assertThat(removed.statusCode()).as(removed.asString()).isEqualTo(200);
        assertThat(removed.<String>path("watches[0].status")).isEqualTo("ended");
        assertThat(removed.<String>path("watches[0].note")).contains("was removed from the model's rules");
        assertThat(removed.<Object>path("watches[0].rule"))
                .as("no longer in the rules")
                .isNull();

        // the tenant's wish stands: the version is no longer watched, so wrong labels move nothing
        serveWithWrongLabels(tenant, admin, SEED + 5);
        runWindow(tenant, admin);
        assertThat(production(tenant, admin)).isEqualTo(2);
        assertThat(events(tenant, "model.rolled_back")).isZero();
    }
}
