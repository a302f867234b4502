package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.experts.ExpertsData;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A declared schema may not take away what a model or a recommender on the dataset reads. */
@QuarkusTest
class SchemaDeclarationResourceTest {

    private static final byte[] POINTS = "id,x,y\n1,0.5,1\n2,1.5,0\n".getBytes(StandardCharsets.UTF_8);

    private static Map<String, Object> column(String name, String type) {
        return Map.of("name", name, "type", type);
    }

    private static Response declare(String tenant, String admin, String dataset, List<Map<String, Object>> columns) {
        return Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("schema", Map.of("columns", columns)))
                .put(Fixtures.datasetPath(tenant, dataset));
    }

    /** Dataset "points" (id, x, y) with model "m" predicting y from it, not trained. */
    private static void modelOnPoints(String tenant, String admin) {
        Fixtures.uploadVersion(tenant, admin, "points", "text/csv", POINTS);
        Fixtures.defineModel(
                tenant, admin, "m", Map.of("dataset", "points", "target", "y", "objective", "regression"), false);
    }

    @Test
    void shouldRefuseASchemaWithoutAModelsTargetNamingTheModelAndKeepTheSchema() {
        String tenant = Api.uniqueTenant("schemadep");
        String admin = Api.createTenant(tenant);
        modelOnPoints(tenant, admin);

        Response refused = declare(tenant, admin, "points", List.of(column("id", "integer"), column("x", "numeric")));

        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
        assertThat(refused.<String>path("type")).endsWith("/schema-breaks-dependents");
        assertThat(refused.<String>path("field")).isEqualTo("schema");
        assertThat(refused.<String>path("detail")).contains("model 'm'", "target");
        assertThat(Api.as(admin).get(Fixtures.datasetPath(tenant, "points")).<String>path("schemaSource"))
                .as("the inferred schema stays")
                .isEqualTo("inferred");
        // one that keeps what the model reads, and adds a column, is taken
        Response kept = declare(
                tenant,
                admin,
                "points",
                List.of(column("id", "integer"), column("x", "numeric"), column("y", "numeric"), column("z", "text")));
        assertThat(kept.statusCode()).as(kept.asString()).isEqualTo(200);
    }

    /** Another tenant's model on a dataset of the same name does not hold this tenant's declaration back. */
    @Test
    void shouldCheckOnlyTheTenantsOwnModels() {
        String other = Api.uniqueTenant("schemadep-b");
        String otherAdmin = Api.createTenant(other);
        modelOnPoints(other, otherAdmin);
        String tenant = Api.uniqueTenant("schemadep-a");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "points", "text/csv", POINTS);

        Response declared = declare(tenant, admin, "points", List.of(column("id", "integer"), column("x", "numeric")));

        assertThat(declared.statusCode()).as(declared.asString()).isEqualTo(200);
        assertThat(Api.as(otherAdmin).get(Fixtures.datasetPath(other, "points")).<String>path("schemaSource"))
                .isEqualTo("inferred");
    }

    @Test
    void shouldRefuseASchemaThatRetypesARecommendersTimeColumn() {
        String tenant = Api.uniqueTenant("schemadep");
        String admin = Api.createTenant(tenant);
        ExpertsData.recommenderOver(tenant, admin, "who", 20);

        Response refused = declare(
                tenant,
                admin,
                ExpertsData.DATASET,
                List.of(
                        column("id", "text"),
                        column("question", "text"),
                        column("expert_id", "categorical"),
                        column("answered_at", "text"),
                        column("tags", "categorical")));

        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
        assertThat(refused.<String>path("detail")).contains("recommender 'who'", "time");
    }
}
