package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.Pages;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code GET .../monitoring/series}: one signal of the windows over time, as small points. A binary model of six
 * features (four numeric, two categorical) is trained, served 600 records with {@code x1} shifted by one standard
 * deviation, given feedback for 300 of them, trained again, version 2 put in production and served 400 more: two
 * versions in the same hour (unless the clock turns between the two bursts, a few seconds apart). Every point is
 * compared with the window the windows list answers for the same range, field by field.
 */
@QuarkusTest
class MonitoringSeriesResourceTest {

    private static final long SEED = 41L;
    private static final String MODEL = "scores";
    private static final String[] REGIONS = {"north", "east", "south", "west"};
    private static final String[] PLANS = {"basic", "pro", "team"};
    private static final List<String> GRANULARITIES = List.of("hour", "day", "week");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    PredictionLog log;

    @Inject
    RealisedPerformance performance;

    @Inject
    MonitoringMetrics metrics;

    private record World(String tenant, String admin, String base) {}

    private static World world;

    /** P(y) = σ(1.2·x1 − 0.8·x2 + 0.5·[plan = pro] − 0.5·[region = west]); x3 and x4 are noise. */
    private static String row(SplittableRandom random, double x1Shift, boolean withLabel) {
        double x1 = random.nextGaussian() + x1Shift;
        double x2 = random.nextGaussian();
        double x3 = random.nextGaussian();
        double x4 = random.nextDouble() * 10;
        String region = REGIONS[random.nextInt(REGIONS.length)];
        String plan = PLANS[random.nextInt(PLANS.length)];
        double logit = 1.2 * x1 - 0.8 * x2 + (plan.equals("pro") ? 0.5 : 0) - (region.equals("west") ? 0.5 : 0);
        boolean y = random.nextDouble() < 1 / (1 + Math.exp(-logit));
        return String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%s,%s", x1, x2, x3, x4, region, plan)
                + (withLabel ? "," + y : "");
    }

    private static byte[] training(int rows) {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder csv = new StringBuilder("x1,x2,x3,x4,region,plan,y\n");
        for (int i = 0; i < rows; i++) {
            csv.append(row(random, 0, true)).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Served records with x1 shifted by one sd, and the label each would get (for feedback). */
    private static List<Map<String, Object>> traffic(int rows, long seed, List<String> labels) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String[] v = row(random, 1.0, true).split(",");
            Map<String, Object> r = new HashMap<>();
            for (int c = 0; c < 4; c++) {
                r.put("x" + (c + 1), Double.parseDouble(v[c]));
            }
            r.put("region", v[4]);
            r.put("plan", v[5]);
            records.add(r);
            labels.add(v[6]);
        }
        return records;
    }

    private static List<String> serve(String tenant, String admin, List<Map<String, Object>> records) {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < records.size(); from += 250) {
            Response r = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("records", records.subList(from, Math.min(records.size(), from + 250))))
                    .post(Fixtures.base(tenant) + "/models/" + MODEL + "/predict");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            ids.addAll(r.jsonPath().getList("predictions.id"));
        }
        return ids;
    }

    /** A tenant with the six-feature model trained (version 1, production). */
    private static String[] trainedTenant(String prefix) {
        String tenant = Api.uniqueTenant(prefix);
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "points", "text/csv", training(3000));
        Fixtures.defineModel(
                tenant,
                admin,
                MODEL,
                Map.of(
                        "dataset",
                        "points",
                        "target",
                        "y",
                        "objective",
                        "binary",
                        "params",
                        Map.of("numRounds", 10, "seed", SEED)),
                true);
        assertThat(Fixtures.train(tenant, admin, MODEL)).isEqualTo(1);
        return new String[] {tenant, admin};
    }

    private synchronized World world() throws Exception {
        if (world != null) {
            return world;
        }
        String[] t = trainedTenant("monser");
        String tenant = t[0];
        String admin = t[1];
        String base = Fixtures.base(tenant) + "/models/" + MODEL;
        List<String> labels = new ArrayList<>();
        List<String> ids = serve(tenant, admin, traffic(600, SEED + 1, labels));
        List<Map<String, Object>> feedback = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            feedback.add(Map.of("predictionId", ids.get(i), "label", labels.get(i)));
        }
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(feedback)
                .post(base + "/feedback")
                .then()
                .statusCode(202);

        assertThat(Fixtures.train(tenant, admin, MODEL)).isEqualTo(2);
        Response moved = moveProduction(admin, base, 2);
        if (moved.statusCode() == 409) { // the gate kept version 1: approve version 2 to serve it anyway
            Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("reason", "two versions in one hour"))
                    .post(base + "/versions/2/approval")
                    .then()
                    .statusCode(200);
            moved = moveProduction(admin, base, 2);
        }
        assertThat(moved.statusCode()).as(moved.asString()).isEqualTo(200);
        serve(tenant, admin, traffic(400, SEED + 2, new ArrayList<>()));
        assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
        runMonitoring(tenant, admin);
        world = new World(tenant, admin, base + "/monitoring");
        return world;
    }

    /**
     * A window run, and the performance gauges it sets after it has ended (an assessment of its latest window):
     * the lag is set last, so once it is there no assessment of the run is still to come.
     */
    private void runMonitoring(String tenant, String admin) {
        Fixtures.runMonitoring(tenant, admin, MODEL);
        org.awaitility.Awaitility.await("the run's gauges")
                .atMost(Fixtures.JOB_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !Double.isNaN(metrics.gauge(MonitoringMetrics.LAG, tenant, MODEL)));
    }

    private static Response moveProduction(String admin, String base, int version) {
        return Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("version", version))
                .put(base + "/aliases/production");
    }

    private static JsonNode get(String admin, String url) throws Exception {
        Response r = Api.as(admin).get(url);
        assertThat(r.statusCode()).as(url + ": " + r.asString()).isEqualTo(200);
        return JSON.readTree(r.asString());
    }

    private static String query(String granularity, String version) {
        return "granularity=" + granularity + "&limit=1000" + (version == null ? "" : "&version=" + version);
    }

    /** Every field of {@code part} is the same in {@code whole} (numbers compared as the JSON wrote them). */
    private static void assertSubset(JsonNode part, JsonNode whole, String what) {
        assertThat(whole).as(what + " in the window").isNotNull();
        for (Iterator<Map.Entry<String, JsonNode>> it = part.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode expected = whole.get(field.getKey());
            if (field.getValue().isArray()) {
                assertThat(field.getValue().size())
                        .as(what + "." + field.getKey())
                        .isEqualTo(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertSubset(field.getValue().get(i), expected.get(i), what + "." + field.getKey() + "[" + i + "]");
                }
            } else {
                assertThat(field.getValue()).as(what + "." + field.getKey()).isEqualTo(expected);
            }
        }
    }

    private static JsonNode find(JsonNode list, String key, String value) {
        for (JsonNode item : list) {
            if (value.equals(item.path(key).asText())) {
                return item;
            }
        }
        return null;
    }

    /** The point carries the window's own facts and exactly the signal's values of that window. */
    private static void assertPointOfWindow(JsonNode point, JsonNode window, String signal, String name) {
        String at = signal + " " + window.get("start").asText() + " v" + window.get("version");
        for (String field : List.of("start", "end", "version", "records", "status")) {
            assertThat(point.get(field)).as(at + ": " + field).isEqualTo(window.get(field));
        }
        switch (signal) {
            case "features" -> {
                JsonNode feature = find(window.get("features"), "feature", name);
                assertThat(feature).as(at).isNotNull();
                assertThat(point.get("feature").has("measurements"))
                        .as("the plotted numbers, not every measurement")
                        .isFalse();
                assertSubset(point.get("feature"), feature, at);
            }
            case "prediction" -> assertSubset(point.get("prediction"), window.get("prediction"), at);
            case "skew" -> assertThat(point.get("skew")).as(at).isEqualTo(find(window.get("skew"), "column", name));
            case "dataset" -> assertThat(point.get("dataset")).as(at).isEqualTo(window.get("dataset"));
            case "performance" -> {
                JsonNode p = point.get("performance");
                JsonNode w = window.get("performance");
                assertThat(p.get("scoredPredictions")).as(at).isEqualTo(w.get("scoredPredictions"));
                assertThat(p.get("labels")).as(at).isEqualTo(w.get("realised").get("labels"));
                assertThat(p.get("realised")).as(at).isEqualTo(w.get("realised").get("metrics"));
                assertThat(p.get("estimated"))
                        .as(at)
                        .isEqualTo(w.get("estimated").get("metrics"));
            }
            default -> throw new AssertionError(signal);
        }
        for (String other : List.of("feature", "prediction", "skew", "dataset", "performance")) {
            if (!other.equals(signal.equals("features") ? "feature" : signal)) {
                assertThat(point.has(other)).as(at + ": no " + other).isFalse();
            }
        }
    }

    private static final List<String[]> SIGNALS = List.of(
            new String[] {"features", "x1"},
            new String[] {"features", "region"},
            new String[] {"prediction", null},
            new String[] {"skew", "plan"},
            new String[] {"dataset", null},
            new String[] {"performance", null});

    @Test
    void shouldAnswerEverySignalWithTheWindowsOwnNumbersAtEveryGranularityAndVersion() throws Exception {
        World w = world();
        for (String granularity : GRANULARITIES) {
            for (String version : new String[] {null, "1", "2"}) {
                String q = query(granularity, version);
                JsonNode windows = get(w.admin(), w.base() + "/windows?" + q).get("items");
                assertThat(windows.size()).as(q).isPositive();
                for (String[] signal : SIGNALS) {
                    String url = w.base() + "/series?signal=" + signal[0]
                            + (signal[1] == null ? "" : "&feature=" + signal[1]) + "&" + q;
                    JsonNode points = get(w.admin(), url).get("items");
                    assertThat(points.size()).as(url).isEqualTo(windows.size());
                    for (int i = 0; i < points.size(); i++) {
                        assertPointOfWindow(points.get(i), windows.get(i), signal[0], signal[1]);
                    }
                }
            }
        }
        // the shifted feature is the one that drifts, in every window of either version with enough records
        // (the hour may turn inside a burst and leave a few records on one side)
        JsonNode x1 =
                get(w.admin(), w.base() + "/series?signal=features&feature=x1").get("items");
        for (JsonNode point : x1) {
            assertThat(point.get("feature").get("test").asText()).isEqualTo("kolmogorov-smirnov");
            if (point.get("records").asLong() >= 200) {
                assertThat(point.get("feature").get("status").asText())
                        .as(point.toString())
                        .isEqualTo("drift");
            }
        }
        // realised from the 300 labels of version 1's predictions, and nothing else
        long labels = 0;
        for (JsonNode point : get(w.admin(), w.base() + "/series?signal=performance&granularity=day")
                .get("items")) {
            labels += point.get("performance").get("labels").asLong();
            assertThat(point.get("performance").get("estimated").has("auc")).isTrue();
        }
        assertThat(labels).isEqualTo(300);
    }

    @Test
    void shouldSeparateTwoVersionsServingInTheSameHourInTheWindowsAndTheSeries() throws Exception {
        World w = world();
        Map<String, Set<String>> startsByVersion = new HashMap<>();
        for (String version : List.of("1", "2")) {
            long expected = version.equals("1") ? 600 : 400;
            for (String list : List.of(
                    "/windows?" + query("hour", version),
                    "/series?signal=dataset&" + query("hour", version),
                    "/series?signal=features&feature=x2&" + query("day", version))) {
                JsonNode items = get(w.admin(), w.base() + list).get("items");
                long records = 0;
                for (JsonNode item : items) {
                    assertThat(item.get("version").asText()).as(list).isEqualTo(version);
                    records += item.get("records").asLong();
                    if (list.startsWith("/windows")) {
                        startsByVersion
                                .computeIfAbsent(version, v -> new HashSet<>())
                                .add(item.get("start").asText());
                    }
                }
                assertThat(records).as(list).isEqualTo(expected);
            }
        }
        // unfiltered, the same day holds a window of each version, the higher version first
        JsonNode all = get(w.admin(), w.base() + "/series?signal=dataset&" + query("day", null))
                .get("items");
        assertThat(all.get(0).get("start")).isEqualTo(all.get(1).get("start"));
        assertThat(List.of(
                        all.get(0).get("version").asInt(),
                        all.get(1).get("version").asInt()))
                .containsExactly(2, 1);
        // and, unless the hour turned in the seconds between the two bursts, the same hour too: the filters above
        // then separated two windows of one hour
        Set<String> shared = new HashSet<>(startsByVersion.get("1"));
        shared.retainAll(startsByVersion.get("2"));
        JsonNode hours =
                get(w.admin(), w.base() + "/windows?" + query("hour", null)).get("items");
        int versionsOfNewestHour = hours.get(1).get("start").equals(hours.get(0).get("start")) ? 2 : 1;
        assertThat(shared.isEmpty() ? 1 : 2)
                .as("hours both versions served: %s", shared)
                .isEqualTo(versionsOfNewestHour);
    }

    @Test
    void shouldWalkEveryPointOnceInPagesAndReadFeedbackOnlyForPerformance() throws Exception {
        World w = world();
        JsonNode windows =
                get(w.admin(), w.base() + "/windows?" + query("hour", null)).get("items");
        assertThat(windows.size()).as("a window per version at least").isGreaterThanOrEqualTo(2);

        long before = performance.assessments();
        List<Map<String, Object>> walked = Pages.walk(
                Api.as(w.admin()).queryParam("signal", "features").queryParam("feature", "x3"),
                w.base() + "/series",
                1);
        assertThat(walked).hasSize(windows.size());
        for (int i = 0; i < walked.size(); i++) {
            assertThat(walked.get(i).get("start"))
                    .isEqualTo(windows.get(i).get("start").asText());
            assertThat(walked.get(i).get("version"))
                    .isEqualTo(windows.get(i).get("version").asInt());
        }
        for (String[] signal : SIGNALS) {
            if (!signal[0].equals("performance")) {
                get(
                        w.admin(),
                        w.base() + "/series?signal=" + signal[0] + (signal[1] == null ? "" : "&feature=" + signal[1])
                                + "&" + query("day", null));
            }
        }
        assertThat(performance.assessments() - before)
                .as("no feedback join nor score read for a drift, skew or dataset series")
                .isZero();
        get(w.admin(), w.base() + "/series?signal=performance&" + query("hour", null));
        assertThat(performance.assessments() - before)
                .as("one per window for performance")
                .isEqualTo(windows.size());
    }

    @Test
    void shouldAnswerPointsMuchSmallerThanTheWindowsOfASixFeatureModel() throws Exception {
        World w = world();
        Response windows = Api.as(w.admin()).get(w.base() + "/windows?" + query("hour", null));
        int count = windows.jsonPath().getList("items").size();
        double perWindow = (double) windows.asByteArray().length / count;
        for (String[] signal : SIGNALS) {
            Response series = Api.as(w.admin())
                    .get(w.base() + "/series?signal=" + signal[0] + (signal[1] == null ? "" : "&feature=" + signal[1])
                            + "&" + query("hour", null));
            assertThat(series.jsonPath().getList("items")).hasSize(count);
            double perPoint = (double) series.asByteArray().length / count;
            assertThat(perPoint)
                    .as("%s: %.0f bytes a point against %.0f a window", signal[0], perPoint, perWindow)
                    .isLessThan(perWindow / 5);
        }
    }

    @Test
    void shouldAnswerProblemsNamingTheBadParameter() throws Exception {
        World w = world();
        for (String[] bad : new String[][] {
            {"", "signal"},
            {"signal=drift", "signal"},
            {"signal=features", "feature"},
            {"signal=skew", "feature"},
            {"signal=features&feature=nope", "feature"},
            {"signal=skew&feature=nope", "feature"},
            {"signal=dataset&feature=x1", "feature"},
            {"signal=dataset&version=two", "version"},
            {"signal=dataset&version=0", "version"},
            {"signal=dataset&version=3", "version"},
            {"signal=dataset&granularity=month", "granularity"},
            {"signal=dataset&from=yesterday", "from"},
            {"signal=dataset&to=2026-13-01", "to"},
            {"signal=dataset&from=2026-11-30T00:00:00Z&to=2026-11-29T00:00:00Z", "from"},
            {"signal=dataset&cursor=garbage!", "cursor"},
            {"signal=dataset&limit=1001", "limit"}
        }) {
            assertProblem(
                    Api.as(w.admin()).get(w.base() + "/series" + (bad[0].isEmpty() ? "" : "?" + bad[0])), bad[1], 400);
        }
        for (String bad : List.of("two", "0", "-1", "3")) {
            assertProblem(Api.as(w.admin()).get(w.base() + "/windows?version=" + bad), "version", 400);
        }
        // a skew series names an input column: "region" is one of this model's (its feature has the same name)
        assertThat(Api.as(w.admin())
                        .get(w.base() + "/series?signal=skew&feature=region")
                        .statusCode())
                .isEqualTo(200);
        String unknown = Fixtures.base(w.tenant()) + "/models/nothing/monitoring/series?signal=dataset";
        assertProblem(Api.as(w.admin()).get(unknown), null, 404);
    }

    private static void assertProblem(Response r, String parameter, int status) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        if (parameter != null) {
            assertThat(r.<String>path("parameter")).as(r.asString()).isEqualTo(parameter);
        }
    }

    @Test
    void shouldShowAnotherTenantsAdminNothingOfAModelOfTheSameName() throws Exception {
        World w = world();
        String[] other = trainedTenant("monsey");
        serve(other[0], other[1], traffic(50, SEED + 3, new ArrayList<>()));
        assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
        runMonitoring(other[0], other[1]);

        for (String path : List.of("/series?signal=dataset", "/series?signal=features&feature=x1", "/windows")) {
            Response refused = Api.as(other[1]).get(w.base() + path);
            assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(404);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.asString()).doesNotContain("\"records\"");
        }
        // its own model of the same name: its 50 records, version 1 only
        String own = Fixtures.base(other[0]) + "/models/" + MODEL + "/monitoring/series?signal=dataset&limit=1000";
        long records = 0;
        for (JsonNode point : get(other[1], own).get("items")) {
            assertThat(point.get("version").asInt()).isEqualTo(1);
            records += point.get("records").asLong();
        }
        assertThat(records).isEqualTo(50);
        // and the victim's cursor shows it nothing of the victim either
        String cursor = Pages.page(Api.as(w.admin()).queryParam("signal", "dataset"), w.base() + "/series", 1, null)
                .getString("next");
        assertThat(cursor).isNotNull();
        Response paged = Api.as(other[1]).get(own + "&cursor=" + cursor);
        assertThat(paged.statusCode()).as(paged.asString()).isEqualTo(200);
        for (JsonNode point : JSON.readTree(paged.asString()).get("items")) {
            assertThat(point.get("version").asInt()).isEqualTo(1);
        }
    }
}
