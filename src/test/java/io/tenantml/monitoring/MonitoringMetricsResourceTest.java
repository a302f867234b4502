package io.tenantml.monitoring;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.ChurnRows;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The monitoring series of two tenants in one Prometheus scrape of the management interface: each tenant's
 * series (window status, top drifting features, realised and estimated performance) carry its own tenant label,
 * and no series of one tenant names the other's model or features. Model and feature names are unique to each
 * tenant (aardvark…, zebra…), so a name in the wrong tenant's series could only come from a leak.
 */
@QuarkusTest
class MonitoringMetricsResourceTest {

    private static final long SEED = 61L;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    PredictionLog log;

    @Inject
    MonitoringMetrics monitoringMetrics;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Tenant(String id, String model, List<String> names) {}

    /** A binary model on {prefix}usage and {prefix}plan, served 300 shifted records, each labelled. */
    private Tenant monitored(String stem, String prefix) throws Exception {
        String tenant = Api.uniqueTenant(stem);
        String admin = Api.createTenant(tenant);
        String usage = prefix + "usage";
        String plan = prefix + "plan";
        String model = prefix + "churn";
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder csv = new StringBuilder(usage + "," + plan + ",churned\n");
        for (int i = 0; i < 1500; i++) {
            double u = random.nextDouble() * 4 - 2;
            csv.append(String.format(
                    Locale.ROOT,
                    "%.3f,%s,%s%n",
                    u,
                    random.nextBoolean() ? "basic" : "pro",
                    random.nextDouble() < 1 / (1 + Math.exp(-1.4 * u))));
        }
        Fixtures.uploadVersion(
                tenant, admin, "customers", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        Fixtures.defineModel(
                tenant, admin, model, ChurnRows.spec(Map.of("numRounds", 10, "maxDepth", 3, "seed", SEED)), true);
        Fixtures.train(tenant, admin, model);
        String base = Fixtures.base(tenant) + "/models/" + model;

        // served usage moved by a quarter of its range: the feature drifts, so it gets a per-feature series
        List<Map<String, Object>> records = new ArrayList<>();
        List<Boolean> outcomes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double u = random.nextDouble() * 4 - 1;
            records.add(Map.of(usage, u, plan, random.nextBoolean() ? "basic" : "pro"));
            outcomes.add(random.nextDouble() < 1 / (1 + Math.exp(-1.4 * u)));
        }
        Response predicted = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("records", records))
                .post(base + "/predict");
        assertThat(predicted.statusCode()).as(predicted.asString()).isEqualTo(200);
        List<?> predictions =
                (List<?>) JSON.readValue(predicted.asString(), Map.class).get("predictions");
        List<Map<String, Object>> feedback = new ArrayList<>();
        for (int i = 0; i < predictions.size(); i++) {
            feedback.add(Map.of(
                    "predictionId",
                    ((Map<?, ?>) predictions.get(i)).get("id"),
                    "label",
                    outcomes.get(i).toString()));
        }
        assertThat(log.flush(Duration.ofSeconds(20))).isTrue();
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(feedback)
                .post(base + "/feedback")
                .then()
                .statusCode(202);

        String run = Api.as(admin)
                .post(base + "/monitoring/run")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Response end = Fixtures.awaitEnd(admin, base + "/monitoring/runs/" + run);
        assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");
        // the performance gauges are set just after the run ends
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> monitoringMetrics.gauge(MonitoringMetrics.LABELS, tenant, model) == 300);
        return new Tenant(tenant, model, List.of(model, usage, plan));
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void shouldLabelEachTenantsSeriesWithItsOwnTenantAndNeverNameAnotherTenantsModelOrFeatures() throws Exception {
        Tenant aardvark = monitored("mmeta", "aardvark");
        Tenant zebra = monitored("mmetb", "zebra");

        List<String> lines = Arrays.stream(given().get(metrics.toString())
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString()
                        .split("\n"))
                .filter(l -> l.startsWith("tenantml_monitoring_"))
                .toList();

        for (Tenant[] pair : new Tenant[][] {{aardvark, zebra}, {zebra, aardvark}}) {
            Tenant own = pair[0];
            Tenant other = pair[1];
            String label = "tenant=\"" + own.id() + "\"";
            List<String> series = lines.stream().filter(l -> l.contains(label)).toList();
            assertThat(series).as("series of %s", own.id()).isNotEmpty();
            for (String line : series) {
                for (String name : other.names()) {
                    assertThat(line).as("a series of %s", own.id()).doesNotContain(name);
                }
            }
            for (String line : lines) {
                if (own.names().stream().anyMatch(line::contains)) {
                    assertThat(line)
                            .as("a series naming %s's model or features", own.id())
                            .contains(label);
                }
            }
            String model = "model=\"" + own.model() + "\"";
            // its drifting feature, its realised and estimated performance, the labels they come from
            assertThat(series)
                    .anyMatch(l -> l.startsWith("tenantml_monitoring_feature_drift{")
                            && l.contains("feature=\"" + own.names().get(1) + "\"")
                            && l.contains(model));
            String accuracy = "metric=\"accuracy\"";
            assertThat(series.stream()
                            .filter(l -> l.startsWith("tenantml_monitoring_performance_realised{")
                                    && l.contains(accuracy)
                                    && l.contains(model))
                            .mapToDouble(MonitoringMetricsResourceTest::value))
                    .singleElement()
                    .satisfies(v -> assertThat(v).isBetween(0.0, 1.0));
            assertThat(series.stream()
                            .filter(l -> l.startsWith("tenantml_monitoring_performance_estimated{")
                                    && l.contains(accuracy)
                                    && l.contains(model))
                            .mapToDouble(MonitoringMetricsResourceTest::value))
                    .singleElement()
                    .satisfies(v -> assertThat(v).isBetween(0.0, 1.0));
            assertThat(series.stream()
                            .filter(l -> l.startsWith("tenantml_monitoring_performance_labels{") && l.contains(model))
                            .mapToDouble(MonitoringMetricsResourceTest::value))
                    .containsExactly(300.0);
        }
    }
}
