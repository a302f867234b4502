package io.tenantml.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.monitoring.PredictionLog;
import io.tenantml.rules.internal.PendingRetrains;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Rules end to end: a model trained on two standard normal features and a region, served a feature shifted by
 * one standard deviation (drift of {@code moving}), then traffic drawn like the training rows.
 */
@QuarkusTest
class MonitoringRulesResourceTest {

    private static final long SEED = 23L;
    private static final String[] REGIONS = {"north", "east", "south", "west"};

    @Inject
    PredictionLog log;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PendingRetrains pendingRetrains;

    private static byte[] training(int rows) {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder csv = new StringBuilder("stable,moving,region,y\n");
        for (int i = 0; i < rows; i++) {
            double stable = random.nextGaussian();
            double moving = random.nextGaussian();
            String region = REGIONS[random.nextInt(REGIONS.length)];
            double y = 2 * stable + moving + (region.equals("north") ? 1 : 0) + 0.1 * random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.5f,%.5f,%s,%.5f%n", stable, moving, region, y));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<Map<String, Object>> traffic(int rows, long seed, double shift) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Map<String, Object> r = new HashMap<>();
            r.put("stable", random.nextGaussian());
            r.put("moving", shift + random.nextGaussian());
            r.put("region", REGIONS[random.nextInt(REGIONS.length)]);
            records.add(r);
        }
        return records;
    }

    /** A tenant of these tests, with its admin key and model "scores" defined on dataset "points". */
    private record Tenant(String id, String admin) {}

    /** The tenant with model "scores" trained once. */
    private Tenant trained(String prefix) {
        Tenant t = model(prefix);
        Fixtures.train(t.id(), t.admin(), "scores");
        return t;
    }

    private Tenant model(String prefix) {
        String tenant = Api.uniqueTenant(prefix);
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "points", "text/csv", training(2000));
        // the gate lets an equal retraining through, so that the retrained version serves
        Fixtures.defineModel(
                tenant,
                admin,
                "scores",
                Map.of(
                        "dataset", "points",
                        "target", "y",
                        "objective", "regression",
                        "params", Map.of("numRounds", 10, "seed", SEED),
                        "gate", Map.of("minImprovement", -1000)),
                true);
        return new Tenant(tenant, admin);
    }

    private void serve(String tenant, String admin, List<Map<String, Object>> records) throws Exception {
        for (int from = 0; from < records.size(); from += 250) {
            Response r = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("records", records.subList(from, Math.min(records.size(), from + 250))))
                    .post(Fixtures.base(tenant) + "/models/scores/predict");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        }
        assertThat(log.flush(Duration.ofSeconds(20))).isTrue();
    }

    private static void runWindow(String tenant, String admin) {
        Fixtures.runMonitoring(tenant, admin, "scores");
    }

    private int events(String tenant, String type) throws Exception {
        return Fixtures.events(dataSource, tenant, type);
    }

    private static List<String> ruleTrainings(String tenant, String admin) {
        Response list = Api.as(admin).get(Fixtures.base(tenant) + "/trainings?model=scores&limit=100");
        assertThat(list.statusCode()).as(list.asString()).isEqualTo(200);
        List<String> triggers = list.path("items.trigger");
        List<String> ids = list.path("items.id");
        List<String> byRule = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if ("rule".equals(triggers.get(i))) {
                byRule.add(ids.get(i));
            }
        }
        return byRule;
    }

    @Test
    void shouldAlertOnceAndRetrainOnceForADriftEpisodeRespectTheCooldownAndRecover() throws Exception {
        Tenant m = trained("rules");
        String tenant = m.id();
        String admin = m.admin();
        String rules = Fixtures.base(tenant) + "/models/scores/monitoring/rules";
        Response put = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "rules",
                        List.of(
                                Map.of("signal", "featureDrift", "features", List.of("moving"), "action", "alert"),
                                Map.of(
                                        "signal",
                                        "featureDrift",
                                        "features",
                                        List.of("moving"),
                                        "action",
                                        "retrain",
                                        "cooldown",
                                        "PT1H"))))
                .put(rules);
        assertThat(put.statusCode()).as(put.asString()).isEqualTo(200);
        assertThat(put.<Integer>path("rules[0].rule.consecutiveWindows")).isEqualTo(1);
        assertThat(put.<String>path("rules[0].rule.cooldown")).isEqualTo("PT24H");
        assertThat(put.<String>path("rules[0].state.status")).isEqualTo("clear");

        // shifted traffic, two window runs: one episode, one alert, one training
        serve(tenant, admin, traffic(600, SEED + 1, 1.0));
        runWindow(tenant, admin);
        runWindow(tenant, admin);
        // the retrain rule's training is started just after the window run that fired it is marked succeeded
        // (RuleEvaluator.committed), so the second run can end before it starts: wait for it
        org.awaitility.Awaitility.await("the rule's training")
                .atMost(Fixtures.JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> ruleTrainings(tenant, admin), t -> !t.isEmpty());
        Response firing = Api.as(admin).get(rules);
        assertThat(firing.<String>path("rules[0].state.status"))
                .as(firing.asString())
                .isEqualTo("firing");
        assertThat(firing.<String>path("rules[0].state.firingSince")).isNotNull();
        assertThat(firing.<String>path("rules[0].state.lastActionAt")).isNotNull();
        assertThat(events(tenant, "monitoring.drift")).as(firing.asString()).isEqualTo(1);
        List<String> started = ruleTrainings(tenant, admin);
        assertThat(started).as(firing.asString()).hasSize(1);
        assertThat(firing.<String>path("rules[1].state.lastTraining")).isEqualTo(started.get(0));
        Response retrained = Fixtures.awaitEnd(admin, Fixtures.trainingPath(tenant, started.get(0)));
        assertThat(retrained.<String>path("status")).as(retrained.asString()).isEqualTo("succeeded");
        assertThat(retrained.<Integer>path("modelVersion")).isEqualTo(2);
        // the start is on the audit trail with the system as actor
        Response audit = Api.as(admin).get("/api/v1/tenants/" + tenant + "/audit?action=training.started");
        assertThat(audit.statusCode()).as(audit.asString()).isEqualTo(200);
        assertThat(audit.<List<String>>path("items.actor.subject"))
                .as(audit.asString())
                .contains("rule");

        // traffic like the training rows, served by the retrained version (more records than the shifted
        // ones, so its window is the latest): the episode ends
        serve(tenant, admin, traffic(1500, SEED + 2, 0.0));
        runWindow(tenant, admin);
        Response clear = Api.as(admin).get(rules);
        assertThat(clear.<String>path("rules[0].state.status"))
                .as(clear.asString())
                .isEqualTo("clear");
        assertThat(events(tenant, "monitoring.recovered")).as(clear.asString()).isEqualTo(1);

        // shifted again within both cooldowns: a new episode, but no second alert and no second training
        serve(tenant, admin, traffic(2500, SEED + 3, 1.0));
        runWindow(tenant, admin);
        Response again = Api.as(admin).get(rules);
        assertThat(again.<String>path("rules[0].state.status"))
                .as(again.asString())
                .isEqualTo("firing");
        assertThat(again.<List<String>>path("recentFirings.kind")).contains("suppressed");
        assertThat(events(tenant, "monitoring.drift")).isEqualTo(1);
        assertThat(ruleTrainings(tenant, admin)).hasSize(1);

        // everything the rules did, newest first, walked in pages of 2: the view's latest ones, each once
        List<Map<String, Object>> walked = io.tenantml.testing.Pages.walk(Api.as(admin), rules + "/firings", 2);
        assertThat(walked).hasSizeGreaterThan(2);
        assertThat(walked).extracting(f -> f.get("id")).containsExactlyElementsOf(again.path("recentFirings.id"));
        assertThat(walked).extracting(f -> f.get("kind")).contains("fired", "alert", "retrain", "suppressed");
        String other = Api.createTenant(Api.uniqueTenant("rules-other"));
        Api.as(other).get(rules + "/firings").then().statusCode(404);
    }

    /**
     * A node that died between a window run's commit and the start of the retrain it decided left the retrain
     * pending: the sweep starts it within a minute instead of after the model's next window run, for each tenant in
     * its own scope (each tenant's training is its own, and the rule's state names it), once.
     */
    @Test
    void shouldStartARetrainADeadNodeLeftPendingWithoutWaitingForTheNextWindowRun() throws Exception {
        List<Tenant> tenants = List.of(trained("pendinga"), trained("pendingb"));
        for (Tenant t : tenants) {
            putRules(
                    t.id(),
                    t.admin(),
                    List.of(Map.of("signal", "featureDrift", "features", List.of("moving"), "action", "retrain")));
            // no traffic: the rule says nothing, and its state remembers the run
            runWindow(t.id(), t.admin());
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update monitoring_rule_state set retrain_pending = true"
                        + " where tenant_id = ? and model = 'scores' and last_run is not null")) {
            for (Tenant t : tenants) {
                ps.setString(1, t.id());
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }

        assertThat(pendingRetrains.startLeftPending()).isGreaterThanOrEqualTo(tenants.size());
        pendingRetrains.startLeftPending();

        for (Tenant t : tenants) {
            List<String> started = ruleTrainings(t.id(), t.admin());
            assertThat(started).as("the rule's trainings of %s", t.id()).hasSize(1);
            Response state = Api.as(t.admin()).get(Fixtures.base(t.id()) + "/models/scores/monitoring/rules");
            assertThat(state.<Boolean>path("rules[0].state.retrainPending")).isFalse();
            assertThat(state.<String>path("rules[0].state.lastTraining")).isEqualTo(started.get(0));
            Response retrained = Fixtures.awaitEnd(t.admin(), Fixtures.trainingPath(t.id(), started.get(0)));
            assertThat(retrained.<String>path("status"))
                    .as(retrained.asString())
                    .isEqualTo("succeeded");
        }
    }

    /** Rules name metrics of the model's objective: a spec that changes it under them is refused, not stored. */
    @Test
    void shouldRefuseASpecWhoseObjectiveTheRulesDoNotFitAndKeepTheSpec() throws Exception {
        Tenant m = model("rulesobj");
        String model = Fixtures.base(m.id()) + "/models/scores";
        Map<String, Object> floor =
                Map.of("signal", "realisedPerformance", "metric", "rmse", "floor", 1.0, "action", "alert");
        Api.as(m.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("rules", List.of(floor)))
                .put(model + "/monitoring/rules")
                .then()
                .statusCode(200);
        Map<String, Object> binary =
                Map.of("dataset", "points", "target", "y", "objective", "binary", "positive", Map.of("above", 0.0));

        Response refused =
                Api.as(m.admin()).contentType(ContentType.JSON).body(binary).put(model);

        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
        assertThat(refused.<String>path("type")).endsWith("/rules-do-not-fit-objective");
        assertThat(refused.<String>path("field")).isEqualTo("objective");
        assertThat(refused.<String>path("detail")).contains("rules[0].metric", "'rmse'");
        assertThat(Api.as(m.admin()).get(model).<String>path("spec.objective")).isEqualTo("regression");
        // without the rule, the same change is taken
        Api.as(m.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("rules", List.of()))
                .put(model + "/monitoring/rules")
                .then()
                .statusCode(200);
        Api.as(m.admin())
                .contentType(ContentType.JSON)
                .body(binary)
                .put(model)
                .then()
                .statusCode(200);
    }

    @Test
    void shouldRefuseInvalidRulesNamingTheFieldAndKeepTheRulesBefore() throws Exception {
        Tenant m = model("rulesbad");
        String tenant = m.id();
        String admin = m.admin();
        String rules = Fixtures.base(tenant) + "/models/scores/monitoring/rules";
        Map<String, Object> good = Map.of("signal", "datasetDrift", "action", "alert");
        Response ok = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("rules", List.of(good)))
                .put(rules);
        assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(200);
        assertThat(ok.<Float>path("rules[0].rule.threshold")).isEqualTo(0.5f);

        Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
        bad.put("rules[1].signal", Map.of("signal", "vibes", "action", "alert"));
        bad.put("rules[1].action", Map.of("signal", "volumeZero", "action", "panic"));
        bad.put("rules[1].threshold", Map.of("signal", "datasetDrift", "threshold", 1.5, "action", "alert"));
        bad.put("rules[1].kind", Map.of("signal", "skew", "threshold", 0.1, "kind", "odd", "action", "alert"));
        bad.put("rules[1].features", Map.of("signal", "featureDrift", "features", List.of(), "action", "alert"));
        // a feature the model does not have would never drift: the rule would stay silent for good
        bad.put(
                "rules[1].features[1]",
                Map.of("signal", "featureDrift", "features", List.of("moving", "movng"), "action", "alert"));
        bad.put(
                "rules[1].consecutiveWindows",
                Map.of("signal", "volumeZero", "action", "alert", "consecutiveWindows", 0));
        bad.put("rules[1].cooldown", Map.of("signal", "volumeZero", "action", "alert", "cooldown", "soon"));
        // longer than a year is a typo (and far enough out it once broke the rule's evaluation)
        bad.put("rules[1].cooldown ", Map.of("signal", "volumeZero", "action", "alert", "cooldown", "P366D"));
        // performance signals: a metric, a floor or margin, and what only this regression model can say
        bad.put("rules[1].metric", Map.of("signal", "realisedPerformance", "floor", 1.0, "action", "alert"));
        bad.put("rules[1].floor", Map.of("signal", "realisedPerformance", "metric", "rmse", "action", "alert"));
        bad.put(
                "rules[1].margin",
                Map.of("signal", "realisedPerformance", "metric", "rmse", "margin", -0.1, "action", "alert"));
        bad.put(
                "rules[1].minSamples",
                Map.of(
                        "signal",
                        "realisedPerformance",
                        "metric",
                        "rmse",
                        "floor",
                        1.0,
                        "minSamples",
                        0,
                        "action",
                        "alert"));
        bad.put("rules[1].floor ", Map.of("signal", "volumeZero", "floor", 1.0, "action", "alert"));
        // a floor outside the metric's range would fire on every window (or on none)
        bad.put(
                "rules[1].floor  ",
                Map.of("signal", "realisedPerformance", "metric", "rmse", "floor", -1.0, "action", "alert"));
        bad.put(
                "rules[1].floor   ",
                Map.of("signal", "realisedPerformance", "metric", "r2", "floor", 1.5, "action", "alert"));
        bad.put(
                "rules[1].signal ",
                Map.of("signal", "estimatedPerformance", "metric", "accuracy", "floor", 0.5, "action", "alert"));
        bad.put(
                "rules[1].metric ",
                Map.of("signal", "realisedPerformance", "metric", "auc", "floor", 0.5, "action", "alert"));
        bad.put(
                "rules[1].metric  ",
                Map.of("signal", "estimatedPerformance", "metric", "rmse", "floor", 0.5, "action", "alert"));
        // the watch of a retrain's promotion
        bad.put(
                "rules[1].watchWindows",
                Map.of("signal", "volumeZero", "action", "alert", "watchWindows", 3, "rollbackMargin", 0.1));
        bad.put("rules[1].rollbackMargin", Map.of("signal", "volumeZero", "action", "retrain", "watchWindows", 3));
        bad.put(
                "rules[1].watchWindows ",
                Map.of("signal", "volumeZero", "action", "retrain", "watchWindows", 0, "rollbackMargin", 0.1));
        bad.put("rules[1].rollbackMargin ", Map.of("signal", "volumeZero", "action", "retrain", "rollbackMargin", 0.1));
        bad.put("rules[1].includeFeedback", Map.of("signal", "volumeZero", "action", "alert", "includeFeedback", true));
        bad.forEach((field, rule) -> {
            Response r = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("rules", List.of(good, rule)))
                    .put(rules);
            assertThat(r.statusCode()).as(field + ": " + r.asString()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.<String>path("field")).as(r.asString()).isEqualTo(field.strip());
        });
        Response missing =
                Api.as(admin).contentType(ContentType.JSON).body("{}").put(rules);
        assertThat(missing.statusCode()).as(missing.asString()).isEqualTo(400);
        assertThat(missing.<String>path("field")).isEqualTo("rules");
        Response after = Api.as(admin).get(rules);
        assertThat(after.<List<String>>path("rules.rule.signal")).containsExactly("datasetDrift");

        String integration = Api.createKey(tenant, admin, "integration");
        Api.as(integration).get(rules).then().statusCode(403);
        Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Map.of("rules", List.of(good)))
                .put(rules)
                .then()
                .statusCode(403);
        Api.as(admin)
                .get(Fixtures.base(tenant) + "/models/nothing/monitoring/rules")
                .then()
                .statusCode(404);
    }

    @Test
    void shouldFillInThePerformanceAndWatchDefaults() {
        Tenant m = model("rulesperf");
        String tenant = m.id();
        String admin = m.admin();
        Response put = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "rules",
                        List.of(
                                Map.of(
                                        "signal",
                                        "realisedPerformance",
                                        "metric",
                                        "rmse",
                                        "margin",
                                        0.5,
                                        "action",
                                        "alert"),
                                Map.of(
                                        "signal",
                                        "datasetDrift",
                                        "action",
                                        "retrain",
                                        "watchWindows",
                                        3,
                                        "rollbackMargin",
                                        0.2))))
                .put(Fixtures.base(tenant) + "/models/scores/monitoring/rules");
        assertThat(put.statusCode()).as(put.asString()).isEqualTo(200);
        assertThat(put.<Integer>path("rules[0].rule.minSamples")).isEqualTo(MonitoringRules.DEFAULT_MIN_SAMPLES);
        assertThat(put.<Float>path("rules[0].rule.margin")).isEqualTo(0.5f);
        assertThat(put.<Object>path("rules[0].rule.floor")).isNull();
        // the watch compares the gate metric unless the rule names one
        assertThat(put.<Object>path("rules[1].rule.metric")).isNull();
        assertThat(put.<Integer>path("rules[1].rule.watchWindows")).isEqualTo(3);
        assertThat(put.<Integer>path("rules[1].rule.minSamples")).isEqualTo(MonitoringRules.DEFAULT_MIN_SAMPLES);
        assertThat(put.<List<Object>>path("watches")).isEmpty();
    }

    @Test
    void shouldAlertOnceWhenRealisedPerformanceFallsBelowTheFloor() throws Exception {
        Tenant m = trained("rulesrmse");
        String tenant = m.id();
        String admin = m.admin();
        String rules = Fixtures.base(tenant) + "/models/scores/monitoring/rules";
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "rules",
                        List.of(Map.of(
                                "signal",
                                "realisedPerformance",
                                "metric",
                                "rmse",
                                "floor",
                                3.0,
                                // the latest window holds at least one labelled record even if the hour turns
                                // while serving (minSamples' own effect: RuleSignalsTest)
                                "minSamples",
                                1,
                                "action",
                                "alert"))))
                .put(rules)
                .then()
                .statusCode(200);

        // traffic like the training rows (|y| is a few units), each answered with the value 50: rmse about 50
        List<String> ids = serveCollecting(tenant, admin, traffic(300, SEED + 4, 0.0));
        List<Map<String, Object>> labels = new ArrayList<>();
        ids.forEach(id -> labels.add(Map.of("predictionId", id, "value", 50.0)));
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(labels)
                .post(Fixtures.base(tenant) + "/models/scores/feedback")
                .then()
                .statusCode(202);
        runWindow(tenant, admin);
        Response fired = Api.as(admin).get(rules);
        assertThat(fired.<String>path("rules[0].state.status"))
                .as(fired.asString())
                .isEqualTo("firing");
        assertThat(fired.<List<String>>path("recentFirings.kind")).contains("fired", "alert");
        assertThat(events(tenant, "monitoring.performance"))
                .as(fired.asString())
                .isEqualTo(1);

        // the same window judged again: one episode, one alert
        runWindow(tenant, admin);
        assertThat(events(tenant, "monitoring.performance")).isEqualTo(1);
    }

    /**
     * A model's first rules, put by several clients at once: the PUTs take their turn (there is no state row yet
     * for them to lock), so every one is answered 200 and the model ends with one state per rule.
     */
    @Test
    void shouldAnswerEveryConcurrentFirstPutOfAModelsRules200AndKeepOneStatePerRule() throws Exception {
        Tenant m = model("rulesrace");
        String tenant = m.id();
        String admin = m.admin();
        List<String> models = List.of("race-1", "race-2", "race-3", "race-4");
        for (String name : models) {
            Fixtures.defineModel(
                    tenant, admin, name, Map.of("dataset", "points", "target", "y", "objective", "regression"), false);
        }
        List<Map<String, Object>> rules = List.of(
                Map.of("name", "silence", "signal", "volumeZero", "action", "alert"),
                Map.of("signal", "datasetDrift", "action", "alert"));
        int clients = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try {
            for (String name : models) {
                String path = Fixtures.base(tenant) + "/models/" + name + "/monitoring/rules";
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Response>> answers = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return Api.as(admin)
                                .contentType(ContentType.JSON)
                                .body(Map.of("rules", rules))
                                .put(path);
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<Response> answer : answers) {
                    Response r = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(r.statusCode()).as("%s: %s", name, r.asString()).isEqualTo(200);
                }
                Response after = Api.as(admin).get(path);
                assertThat(after.<List<String>>path("rules.key"))
                        .as(after.asString())
                        .hasSize(2)
                        .doesNotHaveDuplicates()
                        .contains("silence");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Response putRules(String tenant, String admin, List<Map<String, Object>> rules) {
        Response put = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("rules", rules))
                .put(Fixtures.base(tenant) + "/models/scores/monitoring/rules");
        assertThat(put.statusCode()).as(put.asString()).isEqualTo(200);
        return put;
    }

    /** Shifted traffic and a window run: the retrain rule fires and its training (version 2) succeeds. */
    private String retrainedOnDrift(String tenant, String admin) throws Exception {
        serve(tenant, admin, traffic(600, SEED + 1, 1.0));
        runWindow(tenant, admin);
        String training = org.awaitility.Awaitility.await("the rule's training")
                .atMost(Duration.ofSeconds(60))
                .until(() -> ruleTrainings(tenant, admin), t -> !t.isEmpty())
                .get(0);
        Response retrained = Fixtures.awaitEnd(admin, Fixtures.trainingPath(tenant, training));
        assertThat(retrained.<String>path("status")).as(retrained.asString()).isEqualTo("succeeded");
        return training;
    }

    @Test
    void shouldKeepARetrainRulesCooldownWhenAnotherRuleIsAddedBeforeIt() throws Exception {
        Tenant m = trained("rulesprepend");
        String tenant = m.id();
        String admin = m.admin();
        Map<String, Object> retrain =
                Map.of("signal", "featureDrift", "features", List.of("moving"), "action", "retrain");
        putRules(tenant, admin, List.of(retrain));
        String training = retrainedOnDrift(tenant, admin);
        String rules = Fixtures.base(tenant) + "/models/scores/monitoring/rules";
        Response fired = Api.as(admin).get(rules);
        String actedAt = fired.path("rules[0].state.lastActionAt");
        assertThat(actedAt).as(fired.asString()).isNotNull();

        // another tenant cannot touch the rules (404), and nothing of them changes
        String other = Api.createTenant(Api.uniqueTenant("rulesother"));
        Api.as(other)
                .contentType(ContentType.JSON)
                .body(Map.of("rules", List.of()))
                .put(rules)
                .then()
                .statusCode(404);
        assertThat(Api.as(admin).get(rules).<String>path("rules[0].state.lastActionAt"))
                .isEqualTo(actedAt);

        // a rule put before it: the retrain rule is now at position 1 and keeps its episode and cooldown clock
        Response put = putRules(
                tenant, admin, List.of(Map.of("signal", "volumeZero", "action", "alert", "name", "silence"), retrain));
        assertThat(put.<String>path("rules[1].state.status")).as(put.asString()).isEqualTo("firing");
        assertThat(put.<String>path("rules[1].state.lastActionAt")).isEqualTo(actedAt);
        assertThat(put.<String>path("rules[1].state.lastTraining")).isEqualTo(training);
        assertThat(put.<String>path("rules[0].state.status")).isEqualTo("clear");

        // more drifting traffic (the retrained version serves it): still the same episode, no second training
        serve(tenant, admin, traffic(1500, SEED + 5, 1.0));
        runWindow(tenant, admin);
        Response after = Api.as(admin).get(rules);
        assertThat(after.<String>path("rules[1].state.status"))
                .as(after.asString())
                .isEqualTo("firing");
        assertThat(after.<String>path("rules[1].state.lastActionAt")).isEqualTo(actedAt);
        assertThat(after.<Boolean>path("rules[1].state.retrainPending")).isFalse();
        assertThat(ruleTrainings(tenant, admin)).as(after.asString()).containsExactly(training);

        // the rules name themselves by key, and the firings name the rule by key and where it is now
        String key = after.path("rules[1].key");
        assertThat(key).as("an unnamed rule's key is derived from its content").startsWith("sha256:");
        assertThat(after.<String>path("rules[0].key")).isEqualTo("silence");
        assertThat(after.<List<String>>path("recentFirings.ruleKey")).containsOnly(key);
        assertThat(after.<List<Integer>>path("recentFirings.position")).containsOnly(1);
    }

    @Test
    void shouldKeepANamedRulesCooldownWhenItsFeaturesAreEdited() throws Exception {
        Tenant m = trained("rulesedit");
        String tenant = m.id();
        String admin = m.admin();
        putRules(
                tenant,
                admin,
                List.of(Map.of(
                        "name",
                        "moving-drift",
                        "signal",
                        "featureDrift",
                        "features",
                        List.of("moving"),
                        "action",
                        "retrain")));
        String training = retrainedOnDrift(tenant, admin);
        String rules = Fixtures.base(tenant) + "/models/scores/monitoring/rules";
        String actedAt = Api.as(admin).get(rules).path("rules[0].state.lastActionAt");

        // the signal edited: the episode starts afresh (the new definition has not been seen to hold), the
        // cooldown clock does not
        Response put = putRules(
                tenant,
                admin,
                List.of(Map.of(
                        "name",
                        "moving-drift",
                        "signal",
                        "featureDrift",
                        "features",
                        List.of("moving", "stable"),
                        "action",
                        "retrain")));
        assertThat(put.<String>path("rules[0].state.status")).as(put.asString()).isEqualTo("clear");
        assertThat(put.<String>path("rules[0].state.lastActionAt")).isEqualTo(actedAt);
        assertThat(put.<String>path("rules[0].state.lastTraining")).isEqualTo(training);

        // drifting again: a new episode, within the cooldown: suppressed, no second training
        serve(tenant, admin, traffic(1500, SEED + 6, 1.0));
        runWindow(tenant, admin);
        Response after = Api.as(admin).get(rules);
        assertThat(after.<String>path("rules[0].state.status"))
                .as(after.asString())
                .isEqualTo("firing");
        assertThat(after.<String>path("rules[0].state.lastActionAt")).isEqualTo(actedAt);
        assertThat(after.<String>path("recentFirings[0].kind")).isEqualTo("suppressed");
        assertThat(ruleTrainings(tenant, admin)).as(after.asString()).containsExactly(training);
        assertThat(after.<String>path("rules[0].key")).isEqualTo("moving-drift");
        assertThat(after.<String>path("rules[0].rule.name")).isEqualTo("moving-drift");
        assertThat(after.<String>path("recentFirings[0].ruleName")).isEqualTo("moving-drift");
    }

    @Test
    void shouldKeepAnUnnamedRulesStateWhenPutAgainAndStartItClearOnceRemovedAndReadded() throws Exception {
        Tenant m = trained("rulesreadd");
        String tenant = m.id();
        String admin = m.admin();
        // the same rule written differently (defaults spelled out, fields in another order) is the same rule
        Map<String, Object> alert = Map.of("signal", "featureDrift", "features", List.of("moving"), "action", "alert");
        Map<String, Object> spelledOut = Map.of(
                "cooldown",
                "PT24H",
                "consecutiveWindows",
                1,
                "action",
                "alert",
                "features",
                List.of("moving"),
                "signal",
                "featureDrift");
        putRules(tenant, admin, List.of(alert));
        serve(tenant, admin, traffic(600, SEED + 1, 1.0));
        runWindow(tenant, admin);
        assertThat(events(tenant, "monitoring.drift")).isEqualTo(1);
        String rules = Fixtures.base(tenant) + "/models/scores/monitoring/rules";
        String actedAt = Api.as(admin).get(rules).path("rules[0].state.lastActionAt");
        assertThat(actedAt).isNotNull();

        Response again = putRules(tenant, admin, List.of(spelledOut));
        assertThat(again.<String>path("rules[0].state.status"))
                .as(again.asString())
                .isEqualTo("firing");
        assertThat(again.<String>path("rules[0].state.lastActionAt")).isEqualTo(actedAt);

        // removed, then put again: a new rule, clear, free to alert at once
        putRules(tenant, admin, List.of(Map.of("signal", "volumeZero", "action", "alert")));
        Response readded = putRules(tenant, admin, List.of(alert));
        assertThat(readded.<String>path("rules[0].state.status"))
                .as(readded.asString())
                .isEqualTo("clear");
        assertThat(readded.<Object>path("rules[0].state.lastActionAt")).isNull();
        serve(tenant, admin, traffic(1500, SEED + 7, 1.0));
        runWindow(tenant, admin);
        assertThat(events(tenant, "monitoring.drift")).isEqualTo(2);
    }

    @Test
    void shouldRefuseDuplicateOrMalformedRuleNamesWith400NamingTheField() {
        Tenant m = model("rulesnames");
        String tenant = m.id();
        String admin = m.admin();
        String rules = Fixtures.base(tenant) + "/models/scores/monitoring/rules";
        putRules(tenant, admin, List.of(Map.of("name", "kept", "signal", "volumeZero", "action", "alert")));
        Map<String, List<Map<String, Object>>> bad = new java.util.LinkedHashMap<>();
        bad.put(
                "rules[1].name",
                List.of(
                        Map.of("name", "drift", "signal", "volumeZero", "action", "alert"),
                        Map.of("name", "drift", "signal", "datasetDrift", "action", "retrain")));
        bad.put("rules[0].name", List.of(Map.of("name", "no spaces", "signal", "volumeZero", "action", "alert")));
        bad.put("rules[0].name ", List.of(Map.of("name", "", "signal", "volumeZero", "action", "alert")));
        bad.put("rules[0].name  ", List.of(Map.of("name", "x".repeat(65), "signal", "volumeZero", "action", "alert")));
        // two unnamed rules that say the same: one rule, twice (names tell them apart if both are meant)
        bad.put(
                "rules[1]",
                List.of(
                        Map.of("signal", "volumeZero", "action", "alert"),
                        Map.of("signal", "volumeZero", "action", "alert", "cooldown", "PT24H")));
        bad.forEach((field, list) -> {
            Response r = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("rules", list))
                    .put(rules);
            assertThat(r.statusCode()).as(field + ": " + r.asString()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.<String>path("field")).as(r.asString()).isEqualTo(field.strip());
        });
        Response after = Api.as(admin).get(rules);
        assertThat(after.<List<String>>path("rules.key")).as(after.asString()).containsExactly("kept");
        assertThat(putRules(
                                tenant,
                                admin,
                                List.of(Map.of("name", "a.b_C-9", "signal", "volumeZero", "action", "alert")))
                        .<String>path("rules[0].key"))
                .isEqualTo("a.b_C-9");
    }

    @Test
    void shouldGiveAStateFromBeforeRuleKeysItsKeyAtTheNextPutAndKeepIt() throws Exception {
        Tenant m = model("ruleslegacy");
        String tenant = m.id();
        String admin = m.admin();
        Map<String, Object> alert = Map.of("signal", "featureDrift", "features", List.of("moving"), "action", "alert");
        putRules(tenant, admin, List.of(alert));
        // what V102 leaves of a rule put before it: its state and firings under "#<position>", an episode open
        try (Connection c = dataSource.getConnection()) {
            for (String sql : List.of(
                    "update monitoring_rule_state set rule_key = '#0', firing = true, firing_since = now(),"
                            + " last_action_at = now() where tenant_id = ? and model = 'scores'",
                    "insert into monitoring_rule_firing (id, tenant_id, model, rule_key, position, run_id, kind, at)"
                            + " values (gen_random_uuid(), ?, 'scores', '#0', 0, gen_random_uuid(), 'alert', now())")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, tenant);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
            }
        }
        String rules = Fixtures.base(tenant) + "/models/scores/monitoring/rules";
        assertThat(Api.as(admin).get(rules).<String>path("rules[0].key")).isEqualTo("#0");

        Response put = putRules(tenant, admin, List.of(Map.of("signal", "volumeZero", "action", "alert"), alert));
        String key = put.path("rules[1].key");
        assertThat(key).as(put.asString()).startsWith("sha256:");
        assertThat(put.<String>path("rules[1].state.status")).isEqualTo("firing");
        assertThat(put.<String>path("rules[1].state.lastActionAt")).isNotNull();
        assertThat(put.<List<String>>path("recentFirings.ruleKey")).containsExactly(key);
        assertThat(put.<List<Integer>>path("recentFirings.position")).containsExactly(1);
    }

    private List<String> serveCollecting(String tenant, String admin, List<Map<String, Object>> records)
            throws Exception {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < records.size(); from += 250) {
            Response r = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("records", records.subList(from, Math.min(records.size(), from + 250))))
                    .post(Fixtures.base(tenant) + "/models/scores/predict");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            ids.addAll(r.jsonPath().getList("predictions.id"));
        }
        assertThat(log.flush(Duration.ofSeconds(20))).isTrue();
        return ids;
    }
}
