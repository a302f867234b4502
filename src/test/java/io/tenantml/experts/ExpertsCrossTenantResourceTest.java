package io.tenantml.experts;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 6: two tenants with a recommender of the same name over the same answers, written by different
 * people, each see only their own experts and evidence; the other's recommender paths answer 404.
 */
@QuarkusTest
class ExpertsCrossTenantResourceTest {

    @Test
    void shouldNeverShowOneTenantsExpertsOrEvidenceToAnotherWithTheSameRecommenderName() {
        String a = Api.uniqueTenant("acme");
        String b = Api.uniqueTenant("globex");
        String keyA = Api.createTenant(a);
        String keyB = Api.createTenant(b);
        for (String[] t : new String[][] {{a, keyA, "acme:"}, {b, keyB, "globex:"}}) {
            ExpertsData.declare(t[0], t[1], ExpertsData.DATASET);
            // the same 120 answers; every author renamed with the tenant's prefix
            Fixtures.uploadVersion(
                    t[0], t[1], ExpertsData.DATASET, "text/csv", ExpertsData.slice(0, 120, name -> t[2] + name));
            ExpertsData.put(t[0], t[1], "shared-name", ExpertsData.spec(ExpertsData.DATASET));
            assertThat(ExpertsData.build(t[0], t[1], "shared-name").<String>path("status"))
                    .isEqualTo("succeeded");
        }
        Map<String, Object> question = Map.of("text", "Fix solaris build.", "k", 10);
        Response ra = ExpertsData.recommend(a, keyA, "shared-name", question);
        Response rb = ExpertsData.recommend(b, keyB, "shared-name", question);
        assertThat(ra.<List<String>>path("experts.expert"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e).startsWith("acme:"));
        assertThat(rb.<List<String>>path("experts.expert"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e).startsWith("globex:"));
        assertThat(ra.<String>path("build")).isNotEqualTo(rb.<String>path("build"));
        // B's key on A's paths: 404, exactly like a tenant that does not exist
        Response cross = ExpertsData.recommend(a, keyB, "shared-name", question);
        assertThat(cross.statusCode()).isEqualTo(404);
        assertThat(Api.as(keyB)
                        .get(ExpertsData.path(a, "shared-name") + "/builds/" + ra.path("build"))
                        .statusCode())
                .isEqualTo(404);
    }
}
