package io.tenantml.usage;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.testing.Api;
import org.junit.jupiter.api.Test;

/** The {@code plan:} section of a tenant manifest (src/test/resources/manifests/demo/tenant.yaml) sets the plan. */
@QuarkusTest
class PlanManifestResourceTest {

    @Test
    void shouldSetThePlanOfTheDemoTenantFromItsManifest() {
        Api.asOperator()
                .get("/api/v1/tenants/demo/plan")
                .then()
                .statusCode(200)
                .body("limits.models", equalTo(100))
                .body("limits.datasets", equalTo(100))
                .body("limits.storedBytes", nullValue())
                .body("effective.models", equalTo(100));
    }
}
