package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 15: integration keys add versions to datasets; only admins define datasets. */
@QuarkusTest
class DatasetDefinitionRightsResourceTest {

    private static final byte[] CSV = "id,x,label\n1,0.5,a\n2,1.5,b\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldRefuseAnIntegrationUploadToADatasetNoAdminDefined() {
        String tenant = Api.uniqueTenant("define");
        String admin = Api.createTenant(tenant);
        String integration = Api.createKey(tenant, admin, "integration");

        Fixtures.upload(tenant, integration, "invented", "text/csv", CSV)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("dataset-not-defined"))
                .body("dataset", equalTo("invented"));
        List<String> names = Api.as(admin)
                .get(Fixtures.base(tenant) + "/datasets")
                .then()
                .statusCode(200)
                .extract()
                .path("items.name");
        assertThat(names).doesNotContain("invented");

        // Once the admin defined it (here by its first upload), the integration adds versions.
        assertThat(Fixtures.uploadVersion(tenant, admin, "invented", "text/csv", CSV))
                .isEqualTo(1);
        byte[] more = "id,x,label\n3,2.5,a\n4,3.5,b\n".getBytes(StandardCharsets.UTF_8);
        assertThat(Fixtures.uploadVersion(tenant, integration, "invented", "text/csv", more))
                .isEqualTo(2);
    }
}
