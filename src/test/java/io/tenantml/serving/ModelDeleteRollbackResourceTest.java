package io.tenantml.serving;

import static io.tenantml.serving.ServingFixtures.base;
import static io.tenantml.serving.ServingFixtures.penguin;
import static io.tenantml.serving.ServingFixtures.predict;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobStore;
import io.tenantml.testing.Api;
import io.tenantml.testing.TestDatabase;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A model delete that rolls back keeps the model whole: its versions and batches are still there, so their files
 * must be too. The files were deleted inside the deleting transaction, so a rollback left rows naming files that
 * were gone, and the model answered 500 to every prediction. The test rolls the delete back for real: a trigger
 * refuses the delete of the model's spec row, the last statement of the delete (flushed at its commit).
 */
@QuarkusTest
class ModelDeleteRollbackResourceTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Inject
    BlobStore blobs;

    @Inject
    LoadedModels models;

    @Test
    void shouldKeepModelAndBatchFilesWhenDeleteRollsBack() throws Exception {
        String tenant = Api.uniqueTenant("delete-rollback");
        String admin = Api.createTenant(tenant);
        ServingFixtures.upload(tenant, admin, "penguins", "penguins.json");
        ServingFixtures.putModel(tenant, admin, "species", ServingFixtures.PENGUINS, true);
        ServingFixtures.train(tenant, admin, "species");
        String path = base(tenant) + "/models/species";
        List<Float> scores = scores(tenant, admin);
        String batch = ServingFixtures.finishedBatch(tenant, admin, "species", "penguins");
        String results = Api.as(admin)
                .get(path + "/batch-predictions/" + batch + "/results")
                .asString();
        TenantId t = new TenantId(tenant);
        assertThat(blobs.list(t, "models/species/")).isNotEmpty();
        assertThat(blobs.list(t, "batch-predictions/species/")).isNotEmpty();

        try (TestDatabase.RefusedDeletes refused = TestDatabase.refuseDeletes(jdbcUrl, "model_spec", tenant)) {
            Response delete = Api.as(admin).delete(path);
            assertThat(delete.statusCode()).as(delete.asString()).isEqualTo(500);
            assertThat(delete.contentType()).startsWith("application/problem+json");
            assertThat(delete.asString())
                    .as("no database detail for the tenant")
                    .doesNotContain("refused");
        }

        assertThat(blobs.list(t, "models/species/")).as("the model's files").isNotEmpty();
        assertThat(blobs.list(t, "batch-predictions/species/"))
                .as("its batches' files")
                .isNotEmpty();
        // from the file again, not from the copy this node had loaded before the delete
        models.evict(t);
        assertThat(scores(tenant, admin)).isEqualTo(scores);
        assertThat(Api.as(admin)
                        .get(path + "/batch-predictions/" + batch + "/results")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .isEqualTo(results);

        Api.as(admin).delete(path).then().statusCode(204);
        assertThat(blobs.list(t, "models/species/"))
                .as("the model's files, once deleted")
                .isEmpty();
        assertThat(blobs.list(t, "batch-predictions/species/"))
                .as("its batches' files, once deleted")
                .isEmpty();
        predict(tenant, admin, "species", Map.of("records", List.of(penguin())))
                .then()
                .statusCode(404);
    }

    private static List<Float> scores(String tenant, String key) {
        return predict(tenant, key, "species", Map.of("records", List.of(penguin())))
                .then()
                .statusCode(200)
                .extract()
                .path("predictions.score");
    }
}
