package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.experts.ExpertsData;
import io.tenantml.testing.Api;
import io.tenantml.testing.Concurrently;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.LockWaits;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A declared schema may not take away what a model or a recommender on the dataset reads. */
@QuarkusTest
class SchemaDeclarationResourceTest {

    @Inject
    AgroalDataSource dataSource;

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

    /**
     * A model saved while a declaration holds its dataset waits for it, then is checked against the declared
     * schema. Before, it was checked against the schema as it was before the declaration, which had itself checked
     * the models before this one was stored: both committed, and the model's target was not in the dataset.
     */
    @Test
    void shouldCheckAModelSavedDuringADeclarationAgainstTheDeclaredSchema() throws Exception {
        String tenant = Api.uniqueTenant("schemarace");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "points", "text/csv", POINTS);

        Response saved = whileDeclaring(
                tenant,
                "points",
                "y",
                () -> Fixtures.putModel(
                        tenant, admin, "m", Map.of("dataset", "points", "target", "y", "objective", "regression")));

        assertThat(saved.statusCode()).as(saved.asString()).isEqualTo(400);
        assertThat(saved.<String>path("field")).isEqualTo("target");
        assertThat(Api.as(admin).get(Fixtures.base(tenant) + "/models/m").statusCode())
                .as("no model stored")
                .isEqualTo(404);
    }

    @Test
    void shouldCheckARecommenderSavedDuringADeclarationAgainstTheDeclaredSchema() throws Exception {
        String tenant = Api.uniqueTenant("schemarace");
        String admin = Api.createTenant(tenant);
        ExpertsData.declare(tenant, admin, ExpertsData.DATASET);

        Response saved = whileDeclaring(
                tenant,
                ExpertsData.DATASET,
                "expert_id",
                () -> ExpertsData.put(tenant, admin, "who", ExpertsData.spec(ExpertsData.DATASET)));

        assertThat(saved.statusCode()).as(saved.asString()).isEqualTo(400);
        assertThat(saved.<String>path("field")).isEqualTo("expert");
        assertThat(Api.as(admin).get(ExpertsData.path(tenant, "who")).statusCode())
                .as("no recommender stored")
                .isEqualTo(404);
    }

    /**
     * Sends {@code request} while a declaration that renames {@code column} holds the dataset's lock (taken and
     * written here as {@code DatasetService.define} does), waits until the request waits for that lock, then
     * commits the declaration and returns the request's answer.
     */
    private Response whileDeclaring(String tenant, String dataset, String column, Supplier<Response> request)
            throws Exception {
        try (Connection declaration = dataSource.getConnection();
                Connection probe = dataSource.getConnection()) {
            declaration.setAutoCommit(false);
            LockWaits.holdNameLock(declaration, "dataset", tenant, dataset);
            String named = "\"name\":\"" + column + "\"";
            try (PreparedStatement declare = declaration.prepareStatement("update dataset set schema_json ="
                    + " replace(schema_json, ?, ?), schema_source = 'declared' where tenant_id = ? and name = ?"
                    + " and position(? in schema_json) > 0")) {
                declare.setString(1, named);
                declare.setString(2, "\"name\":\"" + column + "_renamed\"");
                declare.setString(3, tenant);
                declare.setString(4, dataset);
                declare.setString(5, named);
                assertThat(declare.executeUpdate())
                        .as("the declaration renamed " + column)
                        .isEqualTo(1);
            }
            CompletableFuture<Response> sent = Concurrently.inBackground(request);
            await("the request answered or waiting for the dataset's lock")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> sent.isDone() || LockWaits.sessionsWaiting(probe) > 0);
            assertThat(sent)
                    .as("the request while a declaration holds the dataset")
                    .isNotDone();
            declaration.commit();
            return sent.get(60, TimeUnit.SECONDS);
        }
    }
}
