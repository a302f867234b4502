package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The window job end to end: real /predict traffic, POST monitoring/run, and the judged window. The model is
 * trained on two standard normal features and a region; it is then served the same stable feature, the
 * other feature moved by one standard deviation, and a tenth of regions it never saw.
 */
@QuarkusTest
class MonitoringWindowResourceTest {

    private static final long SEED = 11L;
    private static final String[] REGIONS = {"north", "east", "south", "west"};

    @Inject
    PredictionLog log;

    @Inject
    MonitoringMetrics metrics;

    @Inject
    MonitoringWindows windows;

    @Inject
    MonitoringConfig config;

    @Inject
    io.tenantml.tenancy.TenantScope scope;

    @Inject
    org.quartz.Scheduler scheduler;

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

    /** Served records: stable as trained, moving shifted by one sd, one region in ten unseen ("mars"). */
    private static List<Map<String, Object>> traffic(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Map<String, Object> r = new HashMap<>();
            r.put("stable", random.nextGaussian());
            r.put("moving", 1.0 + random.nextGaussian());
            r.put("region", random.nextInt(10) == 0 ? "mars" : REGIONS[random.nextInt(REGIONS.length)]);
            records.add(r);
        }
        return records;
    }

    private record Trained(String tenant, String admin, String model) {}

    private Trained trainAndServe(String prefix, int served) throws Exception {
        String tenant = Api.uniqueTenant(prefix);
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "points", "text/csv", training(2000));
        Fixtures.defineModel(
                tenant,
                admin,
                "scores",
                Map.of(
                        "dataset",
                        "points",
                        "target",
                        "y",
                        "objective",
                        "regression",
                        "params",
                        Map.of("numRounds", 10, "seed", SEED)),
                true);
        Fixtures.train(tenant, admin, "scores");
        List<Map<String, Object>> records = traffic(served, SEED + 1);
        for (int from = 0; from < records.size(); from += 250) {
            Response r = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("records", records.subList(from, Math.min(records.size(), from + 250))))
                    .post(Fixtures.base(tenant) + "/models/scores/predict");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        }
        assertThat(log.flush(Duration.ofSeconds(20))).isTrue();
        return new Trained(tenant, admin, "scores");
    }

    private static Response runNow(Trained t) {
        String base = Fixtures.base(t.tenant()) + "/models/" + t.model() + "/monitoring";
        Response started = Api.as(t.admin()).post(base + "/run");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        String id = started.path("id");
        assertThat(started.header("Location")).endsWith("/models/" + t.model() + "/monitoring/runs/" + id);
        Response end = Fixtures.awaitEnd(t.admin(), base + "/runs/" + id);
        assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");
        return end;
    }

    private static Map<String, Object> feature(JsonPath window, String name) {
        return window.getMap("features.find { it.feature == '" + name + "' }");
    }

    @Test
    void shouldFlagTheShiftedFeatureNotTheStableOneAndShowUnseenCategoriesAsSkew() throws Exception {
        Trained t = trainAndServe("monw", 1200);
        Response end = runNow(t);
        assertThat(end.<Integer>path("records")).isEqualTo(1200);
        assertThat(end.<String>path("latestWindowStatus")).isIn("drift", "warning");

        Response latest = Api.as(t.admin()).get(Fixtures.base(t.tenant()) + "/models/scores/monitoring");
        assertThat(latest.statusCode()).as(latest.asString()).isEqualTo(200);
        JsonPath w = latest.jsonPath();
        assertThat(w.getInt("records")).isEqualTo(1200);
        assertThat(w.getDouble("sampleRate")).isEqualTo(1.0);
        assertThat(w.getString("granularity")).isEqualTo("hour");

        Map<String, Object> moving = feature(w, "moving");
        assertThat(moving.get("status")).as(latest.asString()).isEqualTo("drift");
        assertThat(moving.get("test")).isEqualTo("kolmogorov-smirnov");
        assertThat(((Number) moving.get("adjustedPValue")).doubleValue()).isLessThan(0.05);
        assertThat(((Number) moving.get("effectSizeLowerBound")).doubleValue())
                .isGreaterThanOrEqualTo(((Number) moving.get("driftThreshold")).doubleValue());
        assertThat(((Number) moving.get("windowCount")).longValue()).isEqualTo(1200);

        Map<String, Object> stable = feature(w, "stable");
        assertThat(stable.get("status")).as(latest.asString()).isEqualTo("ok");
        assertThat(((Number) stable.get("pValue")).doubleValue()).isBetween(0.0, 1.0);
        // regions the model knows keep their shares: the unseen ones are skew, not drift of the known ones
        Map<String, Object> region = feature(w, "region");
        assertThat(region.get("status")).as(latest.asString()).isEqualTo("ok");
        assertThat(region.get("test")).isEqualTo("chi-squared");

        Map<String, Object> regionSkew = w.getMap("skew.find { it.column == 'region' }");
        double unseen = ((Number) regionSkew.get("unseenCategoryRate")).doubleValue();
        assertThat(unseen).as("about one region in ten is mars").isBetween(0.07, 0.13);
        assertThat(((Number) regionSkew.get("missingRate")).doubleValue()).isZero();
        Map<String, Object> stableSkew = w.getMap("skew.find { it.column == 'stable' }");
        assertThat(((Number) stableSkew.get("unseenCategoryRate")).doubleValue())
                .isZero();
        // the shifted feature leaves the training range more often than the stable one
        Map<String, Object> movingSkew = w.getMap("skew.find { it.column == 'moving' }");
        assertThat(((Number) movingSkew.get("outOfRangeRate")).doubleValue())
                .isGreaterThan(((Number) stableSkew.get("outOfRangeRate")).doubleValue());

        assertThat(w.getString("dataset.status")).isIn("drift", "warning");
        assertThat(w.getInt("dataset.evaluatedFeatures")).isEqualTo(3);
        assertThat(w.getInt("dataset.driftingFeatures")).isEqualTo(1);
        assertThat(w.getString("prediction.status")).isNotNull();
        assertThat(w.getList("prediction.outputs.feature")).containsExactly("score");

        // gauges: the window's status, features per status, the top drifting feature only, the job's lag. The run
        // sets them just after it is marked succeeded (WindowRunHandler), the lag last: wait for it
        org.awaitility.Awaitility.await("the run's gauges")
                .atMost(Fixtures.JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !Double.isNaN(metrics.gauge(MonitoringMetrics.LAG, t.tenant(), "scores")));
        String status = w.getString("status");
        assertThat(metrics.gauge(MonitoringMetrics.WINDOW_STATUS, t.tenant(), "scores", "status", status))
                .isEqualTo(1.0);
        assertThat(metrics.gauge(MonitoringMetrics.WINDOW_STATUS, t.tenant(), "scores", "status", "ok"))
                .isEqualTo(0.0);
        assertThat(metrics.gauge(MonitoringMetrics.FEATURES, t.tenant(), "scores", "status", "drift"))
                .isEqualTo(1.0);
        assertThat(metrics.gauge(MonitoringMetrics.FEATURE_DRIFT, t.tenant(), "scores", "feature", "moving"))
                .isGreaterThanOrEqualTo(0.05);
        assertThat(metrics.gauge(MonitoringMetrics.FEATURE_DRIFT, t.tenant(), "scores", "feature", "stable"))
                .as("no series for a feature that does not drift")
                .isNaN();
        assertThat(metrics.gauge(MonitoringMetrics.SKEW, t.tenant(), "scores", "kind", "unseen-category"))
                .isCloseTo(unseen, org.assertj.core.api.Assertions.within(1e-6)); // JSON read back as float
        assertThat(metrics.gauge(MonitoringMetrics.LAG, t.tenant(), "scores")).isBetween(0.0, 3600.0);

        // offboarding removes every series of the tenant
        Api.asOperator().delete("/api/v1/tenants/" + t.tenant()).then().statusCode(204);
        org.awaitility.Awaitility.await("the tenant's monitoring series to go")
                .atMost(Duration.ofSeconds(30))
                .until(() -> Double.isNaN(metrics.gauge(MonitoringMetrics.LAG, t.tenant(), "scores"))
                        && Double.isNaN(metrics.gauge(
                                MonitoringMetrics.FEATURE_DRIFT, t.tenant(), "scores", "feature", "moving")));
    }

    @Test
    void shouldNotCountAHourTwiceWhenItIsProfiledAgainAndMergeHoursIntoTheDay() throws Exception {
        Trained t = trainAndServe("monr", 300);
        Response first = runNow(t);
        Response second = runNow(t); // the same open hour, closed early again: replaced, not added
        String base = Fixtures.base(t.tenant()) + "/models/scores/monitoring";
        // the runs, newest first, in pages of 1, each as its own GET shows it
        List<Map<String, Object>> runs = io.tenantml.testing.Pages.walk(Api.as(t.admin()), base + "/runs", 1);
        assertThat(runs).containsExactly(second.<Map<String, Object>>path(""), first.<Map<String, Object>>path(""));
        String other = Api.createTenant(Api.uniqueTenant("monr-other"));
        Api.as(other).get(base + "/runs").then().statusCode(404);
        Response hours = Api.as(t.admin()).get(base + "/windows?granularity=hour");
        assertThat(hours.statusCode()).as(hours.asString()).isEqualTo(200);
        List<Integer> hourRecords = hours.path("items.records");
        assertThat(hourRecords.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);

        Response days = Api.as(t.admin()).get(base + "/windows?granularity=day");
        assertThat(days.statusCode()).as(days.asString()).isEqualTo(200);
        List<Integer> dayRecords = days.path("items.records");
        assertThat(dayRecords.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300);
        assertThat(days.<String>path("items[0].granularity")).isEqualTo("day");
        assertThat(days.<String>path("items[0].start")).endsWith("T00:00:00Z");
        // a range may be given as UTC dates, as every other time range of the API takes them
        String day = days.<String>path("items[0].start").substring(0, 10);
        assertThat(Api.as(t.admin())
                        .get(base + "/windows?granularity=day&from=" + day)
                        .<List<String>>path("items.start"))
                .contains(day + "T00:00:00Z");
        assertThat(Api.as(t.admin())
                        .get(base + "/windows?granularity=day&to=" + day)
                        .<List<String>>path("items.start"))
                .doesNotContain(day + "T00:00:00Z");
        Response weeks = Api.as(t.admin()).get(base + "/windows?granularity=week");
        assertThat(weeks.<List<Integer>>path("items.records").stream()
                        .mapToInt(Integer::intValue)
                        .sum())
                .isEqualTo(300);
    }

    private String cronOf(String tenant, String model) throws Exception {
        org.quartz.Trigger trigger = scheduler.getTrigger(io.tenantml.scheduling.TenantJobs.triggerKey(
                new io.tenantml.shared.TenantId(tenant), "monitoring-schedule." + model));
        return ((org.quartz.CronTrigger) trigger).getCronExpression();
    }

    @Test
    void shouldScheduleEachModelsWindowsByItsSpecAndRunAScheduledWindowOverTheClosedHours() throws Exception {
        String tenant = Api.uniqueTenant("mons");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "points", "text/csv", training(300));
        Map<String, Object> spec = new HashMap<>(Map.of(
                "dataset", "points", "target", "y", "objective", "regression", "params", Map.of("numRounds", 3)));
        Fixtures.defineModel(tenant, admin, "scores", spec, true);
        // the default (hourly, spread per model; tests set one that never fires)
        String defaultSchedule = config.window().schedule();
        assertThat(cronOf(tenant, "scores")).isEqualTo(defaultSchedule);

        spec.put("monitoringSchedule", "not a cron");
        Response bad = Fixtures.putModel(tenant, admin, "scores", spec);
        assertThat(bad.statusCode()).as(bad.asString()).isEqualTo(400);
        assertThat(bad.<String>path("field")).isEqualTo("monitoringSchedule");
        assertThat(cronOf(tenant, "scores")).isEqualTo(defaultSchedule);

        spec.put("monitoringSchedule", "0 0/30 * * * ?");
        Fixtures.defineModel(tenant, admin, "scores", spec, true);
        assertThat(cronOf(tenant, "scores")).isEqualTo("0 0/30 * * * ?");
        // H spreads the minute per tenant and model, as for retraining schedules
        spec.put("monitoringSchedule", "0 H * * * ?");
        Fixtures.defineModel(tenant, admin, "scores", spec, true);
        assertThat(cronOf(tenant, "scores")).matches("0 [0-9]{1,2} \\* \\* \\* \\?");
        spec.put("monitoringSchedule", "0 0/30 * * * ?");
        Fixtures.defineModel(tenant, admin, "scores", spec, true);
        Response model = Api.as(admin).get(Fixtures.base(tenant) + "/models/scores");
        assertThat(model.asString()).contains("0 0/30 * * * ?");

        io.tenantml.shared.TenantId id = new io.tenantml.shared.TenantId(tenant);
        assertThat(scope.call(id, () -> windows.scheduled("scores")))
                .as("nothing to monitor before a version")
                .isEmpty();
        Fixtures.train(tenant, admin, "scores");
        java.util.UUID run = scope.call(id, () -> windows.scheduled("scores")).orElseThrow();
        Response end = Fixtures.awaitEnd(admin, Fixtures.base(tenant) + "/models/scores/monitoring/runs/" + run);
        assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");
        assertThat(end.<String>path("trigger")).isEqualTo("schedule");
        assertThat(end.<String>path("until")).endsWith(":00:00Z");
    }

    @Test
    void shouldAnswerProblemsNamingTheBadParameterAnUnknownModelAndAnIntegrationKey() throws Exception {
        String tenant = Api.uniqueTenant("monp");
        String admin = Api.createTenant(tenant);
        String integration = Api.createKey(tenant, admin, "integration");
        String base = Fixtures.base(tenant) + "/models/nothing/monitoring";
        for (String[] bad : new String[][] {
            {"granularity=month", "granularity"},
            {"from=yesterday", "from"},
            {"to=2026-13-01", "to"},
            {"from=2026-11-30T00:00:00Z&to=2026-11-29T00:00:00Z", "from"}
        }) {
            Response r = Api.as(admin).get(base + "/windows?" + bad[0]);
            assertThat(r.statusCode()).as(bad[0] + ": " + r.asString()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.<String>path("parameter")).isEqualTo(bad[1]);
        }
        for (Response r : List.of(
                Api.as(admin).get(base),
                Api.as(admin).get(base + "/windows"),
                Api.as(admin).post(base + "/run"))) {
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(Api.as(integration).get(base).statusCode()).isEqualTo(403);
        assertThat(Api.as(integration).post(base + "/run").statusCode()).isEqualTo(403);
    }
}
