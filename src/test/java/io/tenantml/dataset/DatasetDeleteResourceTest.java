package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.experts.ExpertsData;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A dataset is not deleted from under what reads it. Before, the delete answered 204, the model's next training
 * said the dataset "has no version yet", and the provenance of its serving version pointed at nothing.
 */
@QuarkusTest
class DatasetDeleteResourceTest {

    private static final byte[] POINTS = "id,x,y\n1,0.5,1\n2,1.5,0\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldRefuseToDeleteADatasetAModelOrRecommenderReadsNamingThemAndKeepIt() {
        String tenant = Api.uniqueTenant("dsdel");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "points", "text/csv", POINTS);
        Fixtures.defineModel(
                tenant, admin, "m", Map.of("dataset", "points", "target", "y", "objective", "regression"), false);
        ExpertsData.recommenderOver(tenant, admin, "who", 20);

        Response refused = Api.as(admin).delete(Fixtures.datasetPath(tenant, "points"));
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
        assertThat(refused.<String>path("type")).endsWith("/dataset-in-use");
        assertThat(refused.<List<String>>path("usedBy")).containsExactly("model 'm'");
        Response refusedToo = Api.as(admin).delete(Fixtures.datasetPath(tenant, ExpertsData.DATASET));
        assertThat(refusedToo.<List<String>>path("usedBy")).containsExactly("recommender 'who'");
        assertThat(Api.as(admin)
                        .get(Fixtures.datasetPath(tenant, "points") + "/versions/1/rows")
                        .statusCode())
                .as("the rows are kept")
                .isEqualTo(200);

        // once what read it is gone, the dataset goes too
        Api.as(admin).delete(Fixtures.base(tenant) + "/models/m").then().statusCode(204);
        Api.as(admin).delete(Fixtures.datasetPath(tenant, "points")).then().statusCode(204);
        Api.as(admin).get(Fixtures.datasetPath(tenant, "points")).then().statusCode(404);
    }

    /** A model moved to another dataset still serves a version trained on this one: its training data stays. */
    @Test
    void shouldRefuseToDeleteTheDatasetAServingVersionWasTrainedOn() {
        String tenant = Api.uniqueTenant("dsdel");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        Fixtures.uploadResource(tenant, admin, "penguins-2", "penguins.json");
        Fixtures.defineModel(tenant, admin, "species", Fixtures.PENGUINS_SPECIES, true);
        int version = Fixtures.train(tenant, admin, "species");
        Map<String, Object> moved = new java.util.HashMap<>(Fixtures.PENGUINS_SPECIES);
        moved.put("dataset", "penguins-2");
        Fixtures.defineModel(tenant, admin, "species", moved, true);

        Response refused = Api.as(admin).delete(Fixtures.datasetPath(tenant, "penguins"));

        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
        assertThat(refused.<List<String>>path("usedBy"))
                .containsExactly("model 'species' version " + version + " (alias production) was trained on it");
    }
}
