package io.tenantml.tenancy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import io.tenantml.testing.Pages;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TenantResourceTest {

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void shouldOnboardTenantAndReturnAdminKeyOnce() {
        String id = Api.uniqueTenant("acme");
        String key = Api.createTenant(id);
        org.assertj.core.api.Assertions.assertThat(key).startsWith("tml_").hasSize(53);
        Api.as(key).get("/api/v1/tenants/" + id).then().statusCode(200).body("id", equalTo(id));
        assertThat(Pages.walk(Api.asOperator(), "/api/v1/tenants", 1000))
                .extracting(t -> t.get("id"))
                .contains(id);
    }

    @Test
    void shouldAnswerOnboardingWithTheTenantAndTheFirstAdminKeyFromItsProvisioner() {
        // The first admin key comes from security's TenantProvisioner now; the answer must not change shape.
        String id = Api.uniqueTenant("shape");
        Map<String, Object> answer = Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", id + " Inc"))
                .post("/api/v1/tenants")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getMap("");

        org.assertj.core.api.Assertions.assertThat(answer)
                .containsOnlyKeys("id", "name", "source", "status", "createdAt", "updatedAt", "adminApiKey")
                .containsEntry("id", id)
                .containsEntry("source", "api")
                .containsEntry("status", "active");
        String key = (String) answer.get("adminApiKey");
        // Only an admin may issue keys: the key is the tenant's admin key.
        Api.as(key)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "ci", "role", "integration"))
                .post("/api/v1/tenants/" + id + "/api-keys")
                .then()
                .statusCode(201);
    }

    @Test
    void shouldRejectDuplicateTenantWithConflict() {
        String id = Api.uniqueTenant("dup");
        Api.createTenant(id);
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", "again"))
                .post("/api/v1/tenants")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void shouldRejectInvalidTenantIdAsProblem() {
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("id", "Not Valid!", "name", "x"))
                .post("/api/v1/tenants")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", startsWith("id"));
    }

    @Test
    void shouldAnswerUnknownRouteAndMissingCredentialWithProblems() {
        given().get("/api/v1/nothing-here")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("title", equalTo("Not found"));
        given().get("/api/v1/tenants")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void shouldLoadDemoManifestAndReportBrokenOne() {
        Api.asOperator().get("/api/v1/tenants/demo").then().statusCode(200).body("source", equalTo("manifest"));
        // Readiness counts manifest errors without naming the file or the tenant (issue 15); the log names them.
        given().get(ready.toString())
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'tenant-manifests' }.data.errors", equalTo(1));
    }

    @Test
    void shouldAnswerWrongMethodAndMediaTypeWithProblems() {
        Api.asOperator()
                .put("/api/v1/tenants")
                .then()
                .statusCode(405)
                .contentType("application/problem+json")
                .body("status", equalTo(405));
        Api.asOperator()
                .contentType("text/plain")
                .body("id=x")
                .post("/api/v1/tenants")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415));
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body("{\"id\": \"broken")
                .post("/api/v1/tenants")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("line"));
    }

    @Test
    void shouldNeverLetBodyTenantOverrideCredentialTenant() {
        String mine = Api.uniqueTenant("mine");
        String admin = Api.createTenant(mine);
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "k", "role", "integration", "tenant", "demo"))
                .post("/api/v1/tenants/" + mine + "/api-keys")
                .then()
                .statusCode(400); // unknown field, refused
    }

    /**
     * The admin member is typed (username, email), so a member of another name is refused naming it on every
     * platform, where a map took any key and only Keycloak provisioning looked at them; nothing is onboarded.
     */
    @Test
    void shouldRefuseAnUnknownMemberOfTheFirstAdminNamingItAndOnboardNothing() {
        String id = Api.uniqueTenant("nadmin");
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", "New", "admin", Map.of("username", "ada", "nickname", "a")))
                .post("/api/v1/tenants")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("nickname"));
        Api.asOperator().get("/api/v1/tenants/" + id).then().statusCode(404);
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", "New", "admin", Map.of("username", "ada", "email", "ada@example.com")))
                .post("/api/v1/tenants")
                .then()
                .statusCode(201);
    }
}
