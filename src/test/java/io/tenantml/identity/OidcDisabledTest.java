package io.tenantml.identity;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without TENANTML_OIDC_ENABLED (the default profile): API keys work, JWTs are of no supported kind. */
@QuarkusTest
class OidcDisabledTest {

    private static final String SOME_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwidGVuYW50X2lkIjoiYWNtZSJ9.c2lnbmF0dXJl";

    @Test
    void shouldRefuseTokensAndKeepApiKeysWhenOidcIsOff() {
        Api.as(SOME_JWT)
                .get("/api/v1/tenants")
                .then()
                .statusCode(401)
                .body("detail", containsString("no supported kind"));
        Api.asOperator().get("/api/v1/tenants").then().statusCode(200);
    }

    @Test
    void shouldAnswerIntegrationsWithFeatureDisabledNotA5xxWhenProvisioningIsOff() {
        String tenant = Api.uniqueTenant("nokc");
        String admin = Api.createTenant(tenant);
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/integrations")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", endsWith("/identity-provisioning-disabled"))
                .body("detail", containsString("without Keycloak provisioning"));
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "erp"))
                .post("/api/v1/tenants/" + tenant + "/integrations")
                .then()
                .statusCode(404)
                .body("type", endsWith("/identity-provisioning-disabled"));
        // a body that breaks the request's rules is not worth a 400 where no request can succeed
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/v1/tenants/" + tenant + "/integrations")
                .then()
                .statusCode(404)
                .body("type", endsWith("/identity-provisioning-disabled"));
        // another tenant's path is answered as everywhere, before the feature is
        String other = Api.uniqueTenant("nokc");
        Api.createTenant(other);
        Api.as(admin)
                .get("/api/v1/tenants/" + other + "/integrations")
                .then()
                .statusCode(404)
                .body("type", endsWith("/not-found"));
    }
}
