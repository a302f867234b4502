package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.ChurnRows;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Per-model drift thresholds: set through {@code .../monitoring/settings}, applied to the model's windows (the
 * stored window is judged again with them) and to its batch drift checks; validated field by field; and out of
 * another tenant's reach.
 */
@QuarkusTest
class MonitoringSettingsResourceTest {

    private static final long SEED = 41L;

    @Inject
    PredictionLog log;

    /** usage uniform on [-2, 2) plus {@code shift}; a shift of 1.0 moves the KS distance to 0.25. */
    private static byte[] customers(long seed, int n, double shift) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] plans = {"basic", "pro", "team"};
        StringBuilder csv = new StringBuilder("usage,plan,churned\n");
        for (int i = 0; i < n; i++) {
            double usage = random.nextDouble() * 4 - 2 + shift;
            boolean churned = random.nextDouble() < 1 / (1 + Math.exp(-1.4 * usage));
            csv.append(String.format(Locale.ROOT, "%.3f,%s,%s%n", usage, plans[random.nextInt(plans.length)], churned));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> spec() {
        return ChurnRows.spec(Map.of("numRounds", 10, "maxDepth", 3, "seed", SEED));
    }

    private record Model(String tenant, String admin, String base) {}

    private static Model trained(String prefix) {
        String tenant = Api.uniqueTenant(prefix);
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "customers", "text/csv", customers(SEED, 2000, 0));
        Fixtures.defineModel(tenant, admin, "churn", spec(), true);
        Fixtures.train(tenant, admin, "churn");
        return new Model(tenant, admin, Fixtures.base(tenant) + "/models/churn");
    }

    private static Response put(String key, String url, Object body) {
        return Api.as(key).contentType(ContentType.JSON).body(body).put(url + "/monitoring/settings");
    }

    private static String status(JsonPath json, String prefix, String feature) {
        return json.getString(prefix + "features.find { it.feature == '" + feature + "' }.status");
    }

    @Test
    void shouldJudgeWindowsAndDriftChecksWithTheModelsOwnThresholds() throws Exception {
        Model m = trained("mset");
        int shifted = Fixtures.uploadVersion(m.tenant(), m.admin(), "customers", "text/csv", customers(43, 2000, 1.0));
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            records.add(Map.of("usage", random.nextDouble() * 4 - 1, "plan", "pro"));
        }
        Api.as(m.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("records", records))
                .post(m.base() + "/predict")
                .then()
                .statusCode(200);
        assertThat(log.flush(Duration.ofSeconds(20))).isTrue();
        String run = Api.as(m.admin())
                .post(m.base() + "/monitoring/run")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Response end = Fixtures.awaitEnd(m.admin(), m.base() + "/monitoring/runs/" + run);
        assertThat(end.<String>path("status")).as(end.asString()).isEqualTo("succeeded");
        Map<String, Object> check = Map.of("dataset", "customers", "datasetVersion", shifted);

        // defaults: a model that set nothing says so, and usage (moved by a quarter of its range) drifts
        Response defaults = Api.as(m.admin()).get(m.base() + "/monitoring/settings");
        assertThat(defaults.statusCode()).as(defaults.asString()).isEqualTo(200);
        assertThat(defaults.<Object>path("updatedAt")).isNull();
        assertThat(defaults.<Float>path("drift.numericDriftDistance")).isEqualTo(0.05f);
        assertThat(defaults.<Map<String, Object>>path("drift")).isEqualTo(defaults.path("defaults"));
        JsonPath window = Api.as(m.admin()).get(m.base() + "/monitoring").jsonPath();
        assertThat(status(window, "", "usage")).as(window.prettify()).isEqualTo("drift");
        JsonPath checked = Api.as(m.admin())
                .contentType(ContentType.JSON)
                .body(check)
                .post(m.base() + "/drift-checks")
                .jsonPath();
        assertThat(status(checked, "verdict.", "usage")).as(checked.prettify()).isEqualTo("drift");

        // looser: a KS distance of 0.25 is below a drift and warning distance of 0.4, so usage is ok
        Response looser = put(
                m.admin(),
                m.base(),
                Map.of("drift", Map.of("numericDriftDistance", 0.4, "numericWarningDistance", 0.4)));
        assertThat(looser.statusCode()).as(looser.asString()).isEqualTo(200);
        assertThat(looser.<Float>path("drift.numericDriftDistance")).isEqualTo(0.4f);
        assertThat(looser.<Float>path("drift.falseDiscoveryRate"))
                .as("left out: the default")
                .isEqualTo(0.05f);
        assertThat(looser.<String>path("updatedAt")).isNotNull();
        window = Api.as(m.admin()).get(m.base() + "/monitoring").jsonPath();
        assertThat(status(window, "", "usage")).as(window.prettify()).isEqualTo("ok");
        assertThat(window.getDouble("features.find { it.feature == 'usage' }.driftThreshold"))
                .isEqualTo(0.4);
        checked = Api.as(m.admin())
                .contentType(ContentType.JSON)
                .body(check)
                .post(m.base() + "/drift-checks")
                .jsonPath();
        assertThat(status(checked, "verdict.", "usage")).as(checked.prettify()).isEqualTo("ok");

        // stricter about evidence: 400 served predictions are now too few for any verdict
        put(m.admin(), m.base(), Map.of("drift", Map.of("minWindowCount", 1000)))
                .then()
                .statusCode(200);
        window = Api.as(m.admin()).get(m.base() + "/monitoring").jsonPath();
        assertThat(status(window, "", "usage")).as(window.prettify()).isEqualTo("insufficient-data");
        assertThat(Api.as(m.admin())
                        .get(m.base() + "/monitoring/windows?granularity=day")
                        .jsonPath()
                        .getString("items[0].features.find { it.feature == 'usage' }.status"))
                .isEqualTo("insufficient-data");

        // {} returns to the defaults
        put(m.admin(), m.base(), Map.of()).then().statusCode(200);
        window = Api.as(m.admin()).get(m.base() + "/monitoring").jsonPath();
        assertThat(status(window, "", "usage")).as(window.prettify()).isEqualTo("drift");
    }

    @Test
    void shouldRefuseInvalidThresholdsNamingTheFieldAndChangeNothing() {
        Model m = trained("msetv");
        put(m.admin(), m.base(), Map.of("drift", Map.of("psiBins", 20))).then().statusCode(200);
        String before = Api.as(m.admin()).get(m.base() + "/monitoring/settings").asString();

        String[][] cases = {
            // body, field
            {"{\"drift\": {\"psiBins\": 1}}", "drift.psiBins"},
            {"{\"drift\": {\"falseDiscoveryRate\": 1.5}}", "drift.falseDiscoveryRate"},
            {"{\"drift\": {\"numericWarningDistance\": 0.2}}", "drift.numericWarningDistance"},
            {"{\"drift\": {\"minWindowCount\": 0}}", "drift.minWindowCount"},
            {"{\"drift\": {\"exactKsMaxProduct\": 100000000000}}", "drift.exactKsMaxProduct"},
            {"{\"drift\": {\"psiBins\": \"ten\"}}", "drift.psiBins"},
            {"{\"drift\": {\"numericDriftDistanse\": 0.1}}", "drift.numericDriftDistanse"},
            {"[1]", ""},
        };
        for (String[] c : cases) {
            Response r = put(m.admin(), m.base(), c[0]);
            assertThat(r.statusCode()).as(c[0] + ": " + r.asString()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.<String>path("field")).as(c[0] + ": " + r.asString()).isEqualTo(c[1]);
        }
        assertThat(Api.as(m.admin()).get(m.base() + "/monitoring/settings").asString())
                .isEqualTo(before);
        // an unknown model, and a role below admin
        put(m.admin(), Fixtures.base(m.tenant()) + "/models/nope", Map.of())
                .then()
                .statusCode(404);
        String integration = Api.createKey(m.tenant(), m.admin(), "integration");
        put(integration, m.base(), Map.of("drift", Map.of("psiBins", 30)))
                .then()
                .statusCode(403);
        assertThat(Api.as(m.admin()).get(m.base() + "/monitoring/settings").asString())
                .isEqualTo(before);
    }

    @Test
    void shouldNotLetAnotherTenantReadOrChangeAModelsThresholds() {
        Model victim = trained("msetv");
        put(victim.admin(), victim.base(), Map.of("drift", Map.of("falseDiscoveryRate", 0.01)))
                .then()
                .statusCode(200);
        String before = Api.as(victim.admin())
                .get(victim.base() + "/monitoring/settings")
                .asString();
        String attacker = Api.createTenant(Api.uniqueTenant("mseta"));

        Response read = Api.as(attacker).get(victim.base() + "/monitoring/settings");
        assertThat(read.statusCode()).as(read.asString()).isIn(403, 404);
        assertThat(read.asString()).doesNotContain("0.01");
        Response write = put(attacker, victim.base(), Map.of("drift", Map.of("falseDiscoveryRate", 0.5)));
        assertThat(write.statusCode()).as(write.asString()).isIn(403, 404);
        Response reset = put(attacker, victim.base(), Map.of());
        assertThat(reset.statusCode()).as(reset.asString()).isIn(403, 404);

        assertThat(Api.as(victim.admin())
                        .get(victim.base() + "/monitoring/settings")
                        .asString())
                .isEqualTo(before);
    }
}
