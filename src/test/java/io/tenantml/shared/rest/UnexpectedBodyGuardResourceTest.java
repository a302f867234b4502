package io.tenantml.shared.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UnexpectedBodyGuardResourceTest {

    /**
     * A client that believes it deletes one version must not lose the dataset: DELETE on a dataset takes no body,
     * and ran as if the body were not there.
     */
    @Test
    void shouldRefuseABodyOnADeleteThatTakesNoneAndDeleteNothing() {
        String tenant = Api.uniqueTenant("ubg");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadVersion(tenant, admin, "kept", "text/csv", "id,x\n1,1\n".getBytes());

        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("versions", java.util.List.of(1)))
                .delete(Fixtures.datasetPath(tenant, "kept"))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/unexpected-body"))
                .body("in", equalTo("body"))
                .body(
                        "detail",
                        equalTo("DELETE on this endpoint takes no body, and it would not be read; what the"
                                + " endpoint takes goes in its path and query parameters"));
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body("{}")
                .post(Fixtures.base(tenant) + "/webhooks/x/test")
                .then()
                .statusCode(400)
                .body("type", endsWith("/unexpected-body"));

        Api.as(admin)
                .get(Fixtures.datasetPath(tenant, "kept") + "/versions")
                .then()
                .statusCode(200)
                .body("items", hasSize(1));
        Api.as(admin).delete(Fixtures.datasetPath(tenant, "kept")).then().statusCode(204);
    }

    /**
     * The guard's reading of which operations take a body agrees with the OpenAPI document's, which Quarkus derives
     * from the same methods: an endpoint that takes a body is never refused one, and none that takes none is missed.
     */
    @Test
    void shouldKnowWhichOperationsTakeABodyAsTheOpenApiDocumentDoes() {
        Map<String, Map<String, Map<String, Object>>> paths = RestAssured.given()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .jsonPath()
                .getMap("paths");
        Map<String, Boolean> documented = new TreeMap<>();
        Map<String, Boolean> guarded = new TreeMap<>();
        for (RouteCatalogue.Operation op : RouteCatalogue.operations()) {
            Map<String, Map<String, Object>> operations = paths.get(op.template());
            if (operations == null || !operations.containsKey(op.verb().toLowerCase())) {
                continue; // hidden from the document
            }
            String key = op.verb() + " " + op.template();
            documented.put(key, operations.get(op.verb().toLowerCase()).containsKey("requestBody"));
            guarded.put(key, UnexpectedBodyGuard.takesBody(op.method()));
        }
        assertThat(documented).as("operations in the document").hasSizeGreaterThan(80);
        assertThat(documented.values()).as("some take a body, some none").contains(true, false);
        assertThat(guarded).isEqualTo(documented);
    }
}
