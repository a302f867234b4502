package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.dataset.internal.DatasetManifestSection;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.ManifestSectionHandler.ManifestException;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DatasetManifestResourceTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Inject
    DatasetManifestSection section;

    @Inject
    TenantScope scope;

    @Test
    void shouldSeedTheDemoDatasetAtStartAndNotAgainForTheSameFile() throws Exception {
        Api.asOperator()
                .get("/api/v1/tenants/demo/datasets/penguins")
                .then()
                .statusCode(200)
                .body("versionCount", equalTo(1))
                .body("latestVersion.rows", equalTo(344));
        // A second start applies the same manifest again: no new version.
        Path dir = Path.of("src/test/resources/manifests/demo");
        JsonNode datasets = YAML.readTree(dir.resolve("tenant.yaml").toFile()).get("datasets");
        scope.callChecked(new TenantId("demo"), () -> {
            section.apply(new TenantId("demo"), datasets, dir);
            return null;
        });
        Api.asOperator().get("/api/v1/tenants/demo/datasets/penguins").then().body("versionCount", equalTo(1));
    }

    @Test
    void shouldDefineAndSeedFromAManifestAndAddAVersionOnlyWhenTheFileChanges() throws Exception {
        String tenant = Api.uniqueTenant("manifest");
        String admin = Api.createTenant(tenant);
        Path dir = Files.createTempDirectory("manifest");
        Files.writeString(dir.resolve("scores.csv"), "id,score\n1,0.5\n2,0.7\n");
        String yaml = """
                - name: scores
                  description: seeded
                  schema: {columns: [{name: id, type: integer, nullable: false}, {name: score, type: numeric, min: 0, max: 1}],
                           primaryKey: id}
                  policy: {onInvalidRows: reject}
                  retention: {keepVersions: 1}
                  data: scores.csv
                """;
        apply(tenant, yaml, dir);
        apply(tenant, yaml, dir);
        Api.as(admin)
                .get(Fixtures.datasetPath(tenant, "scores"))
                .then()
                .statusCode(200)
                .body("description", equalTo("seeded"))
                .body("schemaSource", equalTo("declared"))
                .body("schema.columns[0].type", equalTo("integer"))
                .body("policy.onInvalidRows", equalTo("reject"))
                .body("retention.keepVersions", equalTo(1))
                .body("versionCount", equalTo(1));
        Files.writeString(dir.resolve("scores.csv"), "id,score\n1,0.5\n2,0.7\n3,0.9\n");
        apply(tenant, yaml, dir);
        Api.as(admin)
                .get(Fixtures.datasetPath(tenant, "scores"))
                .then()
                .body("versionCount", equalTo(2))
                .body("latestVersion.version", equalTo(2))
                .body("latestVersion.rows", equalTo(3));
        // the manifest's retention keeps the newest version's rows only
        Api.as(admin)
                .get(Fixtures.datasetPath(tenant, "scores") + "/versions/1")
                .then()
                .body("purged.reason", equalTo("retention"));
    }

    @Test
    void shouldNameTheFieldOfABrokenEntry() throws Exception {
        String tenant = Api.uniqueTenant("manifest");
        Api.createTenant(tenant);
        Path dir = Files.createTempDirectory("manifest");
        assertThatThrownBy(() -> apply(tenant, "- name: x\n  data: ../../etc/passwd.csv\n", dir))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("leaves the manifest's directory")
                .extracting(e -> ((ManifestException) e).field())
                .isEqualTo("[0].data");
        assertThatThrownBy(() -> apply(tenant, "- name: x\n  colour: red\n", dir))
                .isInstanceOf(ManifestException.class)
                .extracting(e -> ((ManifestException) e).field())
                .isEqualTo("[0].colour");
        assertThatThrownBy(() -> apply(tenant, "- name: x\n  retention: {keepVersions: 0}\n", dir))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("retention.keepVersions")
                .extracting(e -> ((ManifestException) e).field())
                .isEqualTo("[0].retention.keepVersions");
        Files.writeString(dir.resolve("bad.csv"), "a,b\n1\n");
        assertThatThrownBy(() -> apply(tenant, "- name: x\n  data: bad.csv\n", dir))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("line 2");
        assertThat(Api.asOperator().get(Fixtures.datasetPath(tenant, "x")).statusCode())
                .isEqualTo(404);
    }

    private void apply(String tenant, String yaml, Path dir) throws Exception {
        JsonNode node = YAML.readTree(yaml);
        scope.callChecked(new TenantId(tenant), () -> {
            section.apply(new TenantId(tenant), node, dir);
            return null;
        });
    }
}
