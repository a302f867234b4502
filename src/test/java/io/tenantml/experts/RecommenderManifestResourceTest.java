package io.tenantml.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.ManifestSectionHandler;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The repository's demo manifest ({@code tenants/demo/tenant.yaml}, what {@code ./tml run} applies) onboards a
 * recommender that builds and answers: its {@code datasets:} and {@code recommenders:} sections are applied, as at
 * start, to a fresh tenant (the test profile's own manifests directory holds a smaller demo).
 */
@QuarkusTest
class RecommenderManifestResourceTest {

    static final Path DEMO = Path.of("tenants", "demo");

    @Inject
    @Any
    Instance<ManifestSectionHandler> handlers;

    @Inject
    TenantScope scope;

    @Test
    void shouldBuildTheDemoManifestsRecommenderOnceAndRecommendFromIt() throws Exception {
        String tenant = Api.uniqueTenant("manifest");
        String admin = Api.createTenant(tenant);
        JsonNode manifest = new ObjectMapper(new YAMLFactory())
                .readTree(DEMO.resolve("tenant.yaml").toFile());
        assertThat(manifest.get("recommenders").fieldNames()).toIterable().containsExactly("who-knows");
        apply(tenant, manifest, "datasets");
        apply(tenant, manifest, "recommenders");
        String builds = ExpertsData.path(tenant, "who-knows") + "/builds";
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !List.of("queued", "running")
                        .contains(Api.as(admin).get(builds).<String>path("items[0].status")));
        Response list = Api.as(admin).get(builds);
        assertThat(list.<List<String>>path("items.status")).as(list.asString()).containsExactly("succeeded");
        assertThat(list.<String>path("items[0].trigger")).isEqualTo("manifest");
        assertThat(list.<Integer>path("items[0].rowsIndexed")).isEqualTo(500);
        Response answer = ExpertsData.recommend(
                tenant, admin, "who-knows", Map.of("text", "Fix flaky test in remote write queue manager", "k", 3));
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.<List<Object>>path("experts")).isNotEmpty();
        // applied again, as at every start of every node: the spec is unchanged and nothing new is queued
        apply(tenant, manifest, "recommenders");
        assertThat(Api.as(admin).get(builds).<List<Object>>path("items")).hasSize(1);
    }

    @Test
    void shouldReportAnInvalidRecommenderByNameAndField() throws Exception {
        String tenant = Api.uniqueTenant("badmanifest");
        Api.createTenant(tenant);
        JsonNode manifest = new ObjectMapper(new YAMLFactory())
                .readTree(DEMO.resolve("tenant.yaml").toFile());
        apply(tenant, manifest, "datasets");
        JsonNode broken = new ObjectMapper(new YAMLFactory())
                .readTree("recommenders:\n  bad:\n    dataset: answers\n    text: [question]\n"
                        + "    expert: nobody\n    time: answered_at\n");
        assertThatThrownBy(() -> apply(tenant, broken, "recommenders"))
                .isInstanceOf(ManifestSectionHandler.ManifestException.class)
                .hasMessageContaining("nobody")
                .extracting(e -> ((ManifestSectionHandler.ManifestException) e).field())
                .isEqualTo("bad.expert");
    }

    private void apply(String tenant, JsonNode manifest, String section) throws Exception {
        ManifestSectionHandler handler = handlers.stream()
                .filter(h -> h.section().equals(section))
                .findFirst()
                .orElseThrow();
        scope.callChecked(new TenantId(tenant), () -> {
            handler.apply(new TenantId(tenant), manifest.get(section), DEMO);
            return null;
        });
    }
}
