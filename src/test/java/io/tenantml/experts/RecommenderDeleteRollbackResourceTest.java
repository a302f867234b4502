package io.tenantml.experts;

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
 * A recommender delete that rolls back keeps the recommender whole, its current generation's files included. They
 * were deleted inside the deleting transaction, so after a rollback the recommender pointed at a generation whose
 * files were gone and every recommend answered 500. The test rolls the delete back for real: a trigger refuses the
 * delete of the recommender's row, the last statement of the delete (flushed at its commit).
 */
@QuarkusTest
class RecommenderDeleteRollbackResourceTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Inject
    BlobStore blobs;

    @Test
    void shouldKeepRecommenderFilesWhenDeleteRollsBack() throws Exception {
        String tenant = Api.uniqueTenant("recs-rollback");
        String admin = Api.createTenant(tenant);
        ExpertsData.recommenderOver(tenant, admin, "r", 200);
        Response build = ExpertsData.build(tenant, admin, "r");
        assertThat(build.<String>path("status")).as(build.asString()).isEqualTo("succeeded");
        Map<String, Object> question = Map.of("text", "Fix solaris build.", "k", 3);
        List<String> experts = recommend(tenant, admin, question);
        TenantId t = new TenantId(tenant);
        assertThat(blobs.list(t, "experts/r/")).isNotEmpty();

        try (TestDatabase.RefusedDeletes refused = TestDatabase.refuseDeletes(jdbcUrl, "recommender", tenant)) {
            Response delete = Api.as(admin).delete(ExpertsData.path(tenant, "r"));
            assertThat(delete.statusCode()).as(delete.asString()).isEqualTo(500);
            assertThat(delete.contentType()).startsWith("application/problem+json");
            assertThat(delete.asString())
                    .as("no database detail for the tenant")
                    .doesNotContain("refused");
        }

        assertThat(blobs.list(t, "experts/r/"))
                .as("the current generation's files")
                .isNotEmpty();
        // the delete closed this node's open copy: this reads the files again
        assertThat(recommend(tenant, admin, question)).isEqualTo(experts);

        Api.as(admin).delete(ExpertsData.path(tenant, "r")).then().statusCode(204);
        assertThat(blobs.list(t, "experts/r/"))
                .as("the recommender's files, once deleted")
                .isEmpty();
        ExpertsData.recommend(tenant, admin, "r", question).then().statusCode(404);
    }

    private static List<String> recommend(String tenant, String key, Map<String, Object> body) {
        Response r = ExpertsData.recommend(tenant, key, "r", body);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.path("experts.expert");
    }
}
