package io.tenantml.shared.rest;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.testing.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class QueryParameterGuardResourceTest {

    private String tenant;
    private String admin;

    @BeforeEach
    void createTenant() {
        tenant = Api.uniqueTenant("qpg");
        admin = Api.createTenant(tenant);
    }

    private String datasets() {
        return "/api/v1/tenants/" + tenant + "/datasets";
    }

    @Test
    void shouldRefuseAMisspeltQueryParameterNamingItAndTheOnesTheEndpointTakes() {
        Api.as(admin)
                .get(datasets() + "?limt=1")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/unknown-parameter"))
                .body("parameter", equalTo("limt"))
                .body("in", equalTo("query"))
                .body(
                        "detail",
                        equalTo("The query parameter 'limt' is not one this endpoint takes; it takes cursor, limit"));
    }

    @Test
    void shouldTakeTheParametersAnEndpointDeclaresItselfAndThroughItsBeanParams() {
        upload("a");
        upload("b");
        Api.as(admin).get(datasets() + "?limit=1").then().statusCode(200).body("items", hasSize(1));
        Api.asOperator()
                .get("/api/v1/reports/usage?from=2026-01-01&limit=5")
                .then()
                .statusCode(200);
    }

    /** A client that believes in a dry run it misspelt, or that does not exist, must not get a real upload. */
    @Test
    void shouldRefuseAnUploadWithAParameterItDoesNotTakeAndStoreNothing() {
        upload("kept");
        Api.as(admin)
                .contentType("text/csv")
                .body("id,x\n1,2\n")
                .post(datasets() + "/kept/versions?dryRun=true")
                .then()
                .statusCode(400)
                .body("parameter", equalTo("dryRun"))
                .body("detail", endsWith("it takes none"));
        Api.as(admin).get(datasets() + "/kept/versions").then().statusCode(200).body("items", hasSize(1));
    }

    private void upload(String dataset) {
        Api.as(admin)
                .contentType("text/csv")
                .body("id,x\n1,1\n")
                .post(datasets() + "/" + dataset + "/versions")
                .then()
                .statusCode(201);
    }
}
