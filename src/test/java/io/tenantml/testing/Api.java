package io.tenantml.testing;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** REST Assured shortcuts for tests: requests as a given credential, tenants and keys made through the API. */
public final class Api {

    public static final String OPERATOR_KEY = "test-operator-key-0123456789-abcdefghijklmnop";

    private Api() {}

    public static RequestSpecification as(String bearer) {
        return RestAssured.given().header("Authorization", "Bearer " + bearer);
    }

    public static RequestSpecification asOperator() {
        return as(OPERATOR_KEY);
    }

    /** Onboards a tenant and returns its first admin key. */
    public static String createTenant(String id) {
        return asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "name", id + " Inc"))
                .post("/api/v1/tenants")
                .then()
                .statusCode(201)
                .extract()
                .path("adminApiKey");
    }

    /** Issues a key of the given role for the tenant, as its admin. */
    public static String createKey(String tenant, String adminKey, String role) {
        return as(adminKey)
                .contentType(ContentType.JSON)
                .body(Map.of("name", role + "-key", "role", role))
                .post("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }

    /** A tenant id unique to this JVM run, so tests never collide on names. */
    public static String uniqueTenant(String stem) {
        return stem + "-" + Long.toString(System.nanoTime(), 36);
    }
}
