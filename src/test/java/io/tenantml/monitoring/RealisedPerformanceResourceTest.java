package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.model.Metrics;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.ChurnRows;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Realised performance from feedback and CBPE's estimate without labels, on a really trained binary model
 * whose traffic goes through /predict: a churn probability that rises with {@code usage} and depends on
 * {@code plan}, labels drawn from that same probability (fixed seeds).
 */
@QuarkusTest
class RealisedPerformanceResourceTest {

    private static final long SEED = 11L;
    private static final String MODEL = "churn";

    @Inject
    RealisedPerformance performance;

    @Inject
    PredictionLog log;

    @Inject
    TenantScope scope;

    @Inject
    ObjectMapper json;

    /** One row of the world: features and the label drawn from the true probability. */
    private static final ChurnRows.Truth TRUTH = new ChurnRows.Truth(1.4, 0.8, -0.4, -1.2);

    private static double truth(double usage, String plan) {
        return TRUTH.probability(usage, plan);
    }

    private static List<ChurnRows.Row> rows(long seed, int n, double usageShift) {
        return ChurnRows.rows(TRUTH, seed, n, usageShift, 1);
    }

    /** Usage uniform on [−2, 2], scaled by {@code usageScale} then shifted by {@code usageShift}. */
    private static List<ChurnRows.Row> rows(long seed, int n, double usageShift, double usageScale) {
        return ChurnRows.rows(TRUTH, seed, n, usageShift, usageScale);
    }

    private record Trained(String tenant, String admin, int version) {}

    private static Trained trained;

    private static synchronized Trained train() {
        if (trained == null) {
            String tenant = Api.uniqueTenant("perf");
            String admin = Api.createTenant(tenant);
            Fixtures.uploadVersion(tenant, admin, "customers", "text/csv", ChurnRows.csv(rows(SEED, 10_000, 0)));
            Fixtures.defineModel(
                    tenant,
                    admin,
                    MODEL,
                    ChurnRows.spec(Map.of("numRounds", 100, "eta", 0.3, "maxDepth", 3, "seed", SEED)),
                    true);
            trained = new Trained(tenant, admin, Fixtures.train(tenant, admin, MODEL));
        }
        return trained;
    }

    /** A prediction as /predict answered it. */
    private record Served(String id, float score, ChurnRows.Row row) {}

    private List<Served> serve(Trained t, List<ChurnRows.Row> rows) throws Exception {
        List<Served> served = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += 500) {
            List<ChurnRows.Row> chunk = rows.subList(from, Math.min(rows.size(), from + 500));
            List<Map<String, Object>> records = new ArrayList<>();
            chunk.forEach(r -> records.add(Map.of("usage", r.usage(), "plan", r.plan())));
            Response r = Api.as(t.admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("records", records))
                    .post(Fixtures.base(t.tenant()) + "/models/" + MODEL + "/predict");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            // Jackson reads the scores as doubles (REST Assured's path would read them as floats)
            List<?> predictions =
                    (List<?>) json.readValue(r.asString(), Map.class).get("predictions");
            for (int i = 0; i < chunk.size(); i++) {
                Map<?, ?> p = (Map<?, ?>) predictions.get(i);
                served.add(new Served(
                        (String) p.get("id"), (float) ((Number) p.get("score")).doubleValue(), chunk.get(i)));
            }
        }
        assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
        return served;
    }

    /** Sends the items in requests of 1,000; the receipts' unusable items, in order. */
    private static List<Map<String, Object>> feedback(Trained t, List<Map<String, Object>> items) {
        List<Map<String, Object>> unusable = new ArrayList<>();
        for (int from = 0; from < items.size(); from += 1000) {
            unusable.addAll(Api.as(t.admin())
                    .contentType(ContentType.JSON)
                    .body(items.subList(from, Math.min(items.size(), from + 1000)))
                    .post(Fixtures.base(t.tenant()) + "/models/" + MODEL + "/feedback")
                    .then()
                    .statusCode(202)
                    .extract()
                    .jsonPath()
                    .getList("unusable"));
        }
        return unusable;
    }

    private static Instant afterNow() {
        Instant mark = Instant.now().plusMillis(2);
        await().atMost(Duration.ofSeconds(1)).until(() -> Instant.now().isAfter(mark));
        return mark;
    }

    private PerformanceAssessment assess(Trained t, Instant from, Instant to) {
        return scope.call(new TenantId(t.tenant()), () -> performance.assess(MODEL, t.version(), from, to));
    }

    @Test
    void shouldComputeRealisedMetricsFromFeedbackAsAHandComputationOnTheSameLabels() throws Exception {
        Trained t = train();
        Instant from = afterNow();
        List<Served> served = serve(t, rows(101, 1200, 0));
        Instant to = afterNow();
        // labels for the first 1,000 predictions; one more says something that names no class; the rest none
        List<Map<String, Object>> items = new ArrayList<>();
        List<Served> labelled = served.subList(0, 1000);
        labelled.forEach(s -> items.add(
                Map.of("predictionId", s.id(), "label", Boolean.toString(s.row().churned()))));
        items.add(Map.of("predictionId", served.get(1000).id(), "label", "perhaps"));
        // the client hears at once which label the model cannot read, not weeks later from a report's count
        assertThat(feedback(t, items))
                .containsExactly(Map.of(
                        "predictionId",
                        served.get(1000).id(),
                        "version",
                        t.version(),
                        "reason",
                        "label 'perhaps' is no outcome version " + t.version() + " can read; it takes a label naming"
                                + " one of its classes (false, true), or true/false"));

        PerformanceAssessment a = assess(t, from, to);

        assertThat(a.scoredPredictions()).isEqualTo(1200);
        assertThat(a.realised().labels()).isEqualTo(1000);
        assertThat(a.realised().unusableLabels()).isEqualTo(1);
        // by hand: AUC as the share of (positive, negative) pairs ordered right, ties half; accuracy at 0.5;
        // log loss as the mean of −log p(true class)
        long pairs = 0;
        double right = 0, logLoss = 0;
        int correct = 0;
        for (Served p : labelled) {
            boolean positive = p.row().churned();
            logLoss -= Math.log(positive ? p.score() : 1 - (double) p.score());
            correct += (p.score() >= 0.5) == positive ? 1 : 0;
            if (!positive) {
                continue;
            }
            for (Served q : labelled) {
                if (!q.row().churned()) {
                    pairs++;
                    right += p.score() > q.score() ? 1 : p.score() == q.score() ? 0.5 : 0;
                }
            }
        }
        Map<String, Metrics.Interval> m = a.realised().metrics();
        assertThat(m.get("auc").value()).isCloseTo(right / pairs, within(1e-9));
        assertThat(m.get("accuracy").value()).isCloseTo(correct / 1000.0, within(1e-12));
        assertThat(m.get("logloss").value()).isCloseTo(logLoss / 1000, within(1e-9));
        for (Metrics.Interval i : m.values()) {
            assertThat(i.lower()).isLessThanOrEqualTo(i.value());
            assertThat(i.upper()).isGreaterThanOrEqualTo(i.value());
            assertThat(i.resamples()).isEqualTo(RealisedPerformance.RESAMPLES);
        }
        // the same labels give the same intervals (seeded bootstrap)
        assertThat(assess(t, from, to).realised()).isEqualTo(a.realised());
        assertThat(a.reference()).containsKey("auc");

        // another tenant asking for the same model finds no such version
        String other = Api.uniqueTenant("perfx");
        Api.createTenant(other);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> scope.call(new TenantId(other), () -> performance.assess(MODEL, t.version(), from, to)))
                .isInstanceOfSatisfying(
                        io.tenantml.shared.ProblemException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(404));
    }

    @Test
    void shouldEstimateWithinItsIntervalOfTheRealisedFigureWithoutDriftAndMoveWhenTrafficShifts() throws Exception {
        Trained t = train();
        Instant from = afterNow();
        List<Served> stable = serve(t, rows(202, 3000, 0));
        Instant middle = afterNow();
        List<Served> shifted = serve(t, rows(303, 3000, 0, 0.3));
        Instant to = afterNow();
        List<Map<String, Object>> items = new ArrayList<>();
        for (Served s : stable) {
            items.add(Map.of(
                    "predictionId", s.id(), "label", Boolean.toString(s.row().churned())));
        }
        for (Served s : shifted) {
            items.add(Map.of(
                    "predictionId", s.id(), "label", Boolean.toString(s.row().churned())));
        }
        feedback(t, items);

        PerformanceAssessment calm = assess(t, from, middle);
        PerformanceAssessment moved = assess(t, middle, to);

        assertThat(calm.estimated()).isNotNull();
        assertThat(calm.estimated().rows()).isEqualTo(3000);
        System.out.println(
                "calibrated outputs: " + calm.estimated().calibratedOutputs() + ", reference " + calm.reference());
        for (String metric : List.of("auc", "accuracy", "f1")) {
            EstimatedPerformance.EstimatedMetric e = calm.estimated().metrics().get(metric);
            double realised = calm.realised().metrics().get(metric).value();
            System.out.printf(
                    Locale.ROOT,
                    "no drift %s: estimated %.4f [%.4f, %.4f], realised %.4f%n",
                    metric,
                    e.value(),
                    e.lower(),
                    e.upper(),
                    realised);
            assertThat(realised).as(metric).isBetween(e.lower(), e.upper());
        }
        EstimatedPerformance.ExpectedConfusion c = calm.estimated().confusion();
        assertThat(c.truePositives() + c.falsePositives() + c.trueNegatives() + c.falseNegatives())
                .isCloseTo(3000, within(1e-6));

        // usage now on [−0.6, 0.6] only, where churn is closest to a coin toss: accuracy falls, and the
        // estimate from the scores alone falls with it and still brackets what the labels say (the shift is
        // in the features only: the labels given the features are drawn as before)
        double before = calm.estimated().metrics().get("accuracy").value();
        double after = moved.estimated().metrics().get("accuracy").value();
        System.out.printf(
                Locale.ROOT,
                "shift accuracy: estimated %.4f -> %.4f, realised %.4f -> %.4f%n",
                before,
                after,
                calm.realised().metrics().get("accuracy").value(),
                moved.realised().metrics().get("accuracy").value());
        assertThat(before - after).isGreaterThan(0.05);
        EstimatedPerformance.EstimatedMetric shiftedAccuracy =
                moved.estimated().metrics().get("accuracy");
        assertThat(moved.realised().metrics().get("accuracy").value())
                .isBetween(shiftedAccuracy.lower(), shiftedAccuracy.upper());
        assertThat(Math.signum(after - before))
                .isEqualTo(
                        Math.signum(moved.realised().metrics().get("accuracy").value()
                                - calm.realised().metrics().get("accuracy").value()));
    }
}
