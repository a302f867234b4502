package io.tenantml.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldIssueKeyOnceAndListItWithoutSecret() {
        String tenant = Api.uniqueTenant("keys");
        String admin = Api.createTenant(tenant);
        String key = Api.createKey(tenant, admin, "integration");
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("items.find { it.role == 'integration' }.prefix", equalTo(key.substring(0, 12)))
                .body("items.find { it.role == 'integration' }.key", nullValue())
                .body("items.find { it.role == 'integration' }.createdAt", notNullValue());
    }

    @Test
    void shouldRefuseRevokedKeyAtOnce() {
        String tenant = Api.uniqueTenant("revoke");
        String admin = Api.createTenant(tenant);
        String key = Api.createKey(tenant, admin, "integration");
        Api.as(key).get("/api/v1/tenants/" + tenant).then().statusCode(200);
        String id = Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .extract()
                .path("items.find { it.role == 'integration' }.id");

        Api.as(admin)
                .delete("/api/v1/tenants/" + tenant + "/api-keys/" + id)
                .then()
                .statusCode(204);

        Api.as(key)
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .body("items.find { it.id == '" + id + "' }.revokedAt", notNullValue());
    }

    @Test
    void shouldRefuseKeyWithBrokenChecksum() {
        String tenant = Api.uniqueTenant("checksum");
        String admin = Api.createTenant(tenant);
        char last = admin.charAt(admin.length() - 1);
        String mistyped = admin.substring(0, admin.length() - 1) + (last == 'a' ? 'b' : 'a');
        Api.as(mistyped)
                .get("/api/v1/tenants/" + tenant)
                .then()
                .statusCode(401)
                .body("detail", org.hamcrest.Matchers.containsString("checksum"));
    }

    @Test
    void shouldGiveIntegrationKeys403OnKeyAndTenantManagement() {
        String tenant = Api.uniqueTenant("integ");
        String admin = Api.createTenant(tenant);
        String integration = Api.createKey(tenant, admin, "integration");
        Api.as(integration)
                .get("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(403);
        Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "x", "role", "admin"))
                .post("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(403);
        Api.as(integration).get("/api/v1/tenants").then().statusCode(403).contentType("application/problem+json");
        Api.as(integration).delete("/api/v1/tenants/" + tenant).then().statusCode(403);
        Api.as(admin).get("/api/v1/tenants").then().statusCode(403);
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("id", Api.uniqueTenant("x"), "name", "x"))
                .post("/api/v1/tenants")
                .then()
                .statusCode(403);
    }

    @Test
    void shouldNotRevokeAnotherTenantsKeyThroughOwnPath() {
        String a = Api.uniqueTenant("own");
        String b = Api.uniqueTenant("other");
        String adminA = Api.createTenant(a);
        String adminB = Api.createTenant(b);
        String keyOfB = Api.as(adminB)
                .get("/api/v1/tenants/" + b + "/api-keys")
                .then()
                .extract()
                .path("items[0].id");

        Api.as(adminA)
                .delete("/api/v1/tenants/" + a + "/api-keys/" + keyOfB)
                .then()
                .statusCode(404);

        Api.as(adminB).get("/api/v1/tenants/" + b).then().statusCode(200);
    }

    @Test
    void shouldRefuseOperatorRoleForTenantKeys() {
        String tenant = Api.uniqueTenant("oprole");
        String admin = Api.createTenant(tenant);
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "sneaky", "role", "operator"))
                .post("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", org.hamcrest.Matchers.equalTo("role"));
    }

    @Test
    void shouldStoreNoPlaintextKeyInAnyCredentialTable() throws Exception {
        String tenant = Api.uniqueTenant("plain");
        String admin = Api.createTenant(tenant);
        String integration = Api.createKey(tenant, admin, "integration");
        List<String> cells = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            for (String table : List.of("api_key", "operator_key")) {
                try (ResultSet rs = s.executeQuery("select * from " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            cells.add(
                                    v instanceof byte[] b
                                            ? new String(b, StandardCharsets.ISO_8859_1)
                                            : String.valueOf(v));
                        }
                    }
                }
            }
        }
        assertThat(cells).isNotEmpty();
        for (String secret : List.of(admin, integration, Api.OPERATOR_KEY)) {
            // Only the 12-character display prefix may appear, never the rest of the key.
            assertThat(cells).noneMatch(cell -> cell.contains(secret.substring(12)));
        }
    }
}
