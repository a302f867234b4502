package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Batch drift checks of dataset versions against the production version's reference, and the reference's read
 * endpoint, on a really trained model. The test profile limits a drift check to 10,000 rows.
 */
@QuarkusTest
class DriftCheckResourceTest {

    private static final long SEED = 21L;

    private static byte[] customers(long seed, int n, double usageShift, boolean newPlan) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] plans =
                newPlan ? new String[] {"basic", "pro", "team", "enterprise"} : new String[] {"basic", "pro", "team"};
        StringBuilder csv = new StringBuilder("usage,plan,churned\n");
        for (int i = 0; i < n; i++) {
            double usage = random.nextDouble() * 4 - 2 + usageShift;
            String plan = plans[random.nextInt(plans.length)];
            boolean churned = random.nextDouble() < 1 / (1 + Math.exp(-1.4 * usage));
            csv.append(String.format(Locale.ROOT, "%.3f,%s,%s%n", usage, plan, churned));
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> spec(String dataset) {
        return Map.of(
                "dataset",
                dataset,
                "target",
                "churned",
                "objective",
                "binary",
                "params",
                Map.of("numRounds", 20, "maxDepth", 3, "seed", SEED));
    }

    private static Response check(String tenant, String admin, String model, Object body) {
        return Api.as(admin)
                .contentType(ContentType.JSON)
                .body(body)
                .post(Fixtures.base(tenant) + "/models/" + model + "/drift-checks");
    }

    @Test
    void shouldFindNoDriftInAVersionLikeTheTrainingRowsAndDriftInAShiftedOne() {
        String tenant = Api.uniqueTenant("dchk");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "customers", "text/csv", customers(SEED, 3000, 0, false));
        Fixtures.defineModel(tenant, admin, "churn", spec("customers"), true);
        int version = Fixtures.train(tenant, admin, "churn");
        int same = Fixtures.uploadVersion(tenant, admin, "customers", "text/csv", customers(31, 3000, 0, false));
        int shifted = Fixtures.uploadVersion(tenant, admin, "customers", "text/csv", customers(32, 3000, 1.0, true));

        Response calm = check(tenant, admin, "churn", Map.of("dataset", "customers", "datasetVersion", same));
        assertThat(calm.statusCode()).as(calm.asString()).isEqualTo(200);
        assertThat(calm.<Integer>path("version")).isEqualTo(version);
        assertThat(calm.<Integer>path("rows")).isEqualTo(3000);
        assertThat(calm.<String>path("verdict.status")).as(calm.asString()).isEqualTo("ok");
        assertThat(calm.<List<String>>path("verdict.features.feature")).containsExactly("usage", "plan");
        assertThat(calm.<Float>path("verdict.driftingShare")).isEqualTo(0f);
        assertThat(calm.<List<?>>path("unseenCategories")).isEmpty();

        Response moved = check(tenant, admin, "churn", Map.of("dataset", "customers", "datasetVersion", shifted));
        assertThat(moved.statusCode()).as(moved.asString()).isEqualTo(200);
        assertThat(moved.<List<String>>path("verdict.features.status"))
                .as(moved.asString())
                .containsExactly("drift", "drift");
        assertThat(moved.<String>path("verdict.status")).isEqualTo("drift");
        assertThat(moved.<Float>path("verdict.driftingShare")).isEqualTo(1f);
        assertThat(moved.<List<String>>path("unseenCategories.feature")).containsExactly("plan");
        // about a quarter of 3,000 rows are on the new plan
        assertThat(moved.<Integer>path("unseenCategories[0].rows")).isBetween(600, 900);

        // the reference the checks compared with
        Response reference =
                Api.as(admin).get(Fixtures.base(tenant) + "/models/churn/versions/" + version + "/reference");
        assertThat(reference.statusCode()).as(reference.asString()).isEqualTo(200);
        assertThat(reference.<List<String>>path("features.feature")).containsExactly("usage", "plan");
        assertThat(reference.<List<String>>path("features.kind")).containsExactly("numeric", "categorical");
        assertThat(reference.<Integer>path("features[0].rows") + reference.<Integer>path("validation.rows"))
                .isEqualTo(3000);
        assertThat(reference.<List<String>>path("features[1].categorical.top.value"))
                .containsExactlyInAnyOrder("basic", "pro", "team");
        assertThat(reference.<Integer>path("validationSampleRows"))
                .isEqualTo(reference.<Integer>path("validation.rows"));
        assertThat(reference.<Float>path("metrics.auc.lower")).isLessThanOrEqualTo(reference.path("metrics.auc.value"));
        Api.as(admin)
                .get(Fixtures.base(tenant) + "/models/churn/versions/" + (version + 1) + "/reference")
                .then()
                .statusCode(404)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void shouldRefuseBadInputUnknownNamesAMissingProductionVersionAndTooLargeVersionsWithProblems() {
        String tenant = Api.uniqueTenant("dchk");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "customers", "text/csv", customers(SEED, 1500, 0, false));
        Fixtures.defineModel(tenant, admin, "churn", spec("customers"), true);
        Fixtures.train(tenant, admin, "churn");
        // a model that trained but was never promoted
        Fixtures.defineModel(tenant, admin, "shadow", spec("customers"), false);
        Fixtures.train(tenant, admin, "shadow");
        Fixtures.uploadVersion(
                tenant, admin, "other", "text/csv", "plan,score\nbasic,1\npro,2\n".getBytes(StandardCharsets.UTF_8));
        int large = Fixtures.uploadVersion(tenant, admin, "customers", "text/csv", customers(5, 10_001, 0, false));

        String[][] cases = {
            // model, body, status, problem slug
            {"churn", "{\"datasetVersion\": 1}", "400", "invalid-drift-check"},
            {"churn", "{\"dataset\": \"customers\", \"datasetVersion\": 0}", "400", "invalid-drift-check"},
            {"churn", "{\"dataset\": \"nope\", \"datasetVersion\": 1}", "404", "not-found"},
            {"churn", "{\"dataset\": \"customers\", \"datasetVersion\": 99}", "404", "not-found"},
            {"nope", "{\"dataset\": \"customers\", \"datasetVersion\": 1}", "404", "not-found"},
            {"shadow", "{\"dataset\": \"customers\", \"datasetVersion\": 1}", "409", "no-production-version"},
            {"churn", "{\"dataset\": \"other\", \"datasetVersion\": 1}", "422", "dataset-does-not-fit-model"},
            {
                "churn",
                "{\"dataset\": \"customers\", \"datasetVersion\": " + large + "}",
                "413",
                "dataset-version-too-large"
            },
        };
        for (String[] c : cases) {
            Response r = check(tenant, admin, c[0], c[1]);
            assertThat(r.statusCode())
                    .as(c[0] + " " + c[1] + ": " + r.asString())
                    .isEqualTo(Integer.parseInt(c[2]));
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.<String>path("type")).as(r.asString()).endsWith(c[3]);
        }
        // no body at all: said of the body, as a missing body is everywhere, not of a field named ""
        Api.as(admin)
                .contentType(ContentType.JSON)
                .post(Fixtures.base(tenant) + "/models/churn/drift-checks")
                .then()
                .statusCode(400)
                .body("in", equalTo("body"))
                .body("field", org.hamcrest.Matchers.nullValue());
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body("{\"dataset\": \"customers\", \"datasetVersion\": 1}")
                .post(Fixtures.base(tenant) + "/models/churn/drift-checks")
                .then()
                .statusCode(200)
                .body("datasetVersion", equalTo(1));
        // no version named: the latest, as a training or a batch prediction reads it (here the one too large)
        Response latest = check(tenant, admin, "churn", "{\"dataset\": \"customers\"}");
        assertThat(latest.statusCode()).as(latest.asString()).isEqualTo(413);
        assertThat(latest.<String>path("detail")).contains("version " + large + " has");
        assertThat(check(tenant, admin, "churn", "{\"dataset\": \"customers\", \"datasetVersion\": 0}")
                        .<String>path("field"))
                .isEqualTo("datasetVersion");
    }
}
