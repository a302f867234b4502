package io.tenantml.shared;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tenantml.testing.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The malformed requests a fuzzing run of issue 15 found answered badly, each pinned: bodies of the wrong
 * shape or not JSON answered 400 with an empty body, and a NUL byte in a path or query value answered 500
 * (PostgreSQL refuses NUL in text). {@code ApiFuzzTest} covers the rest.
 */
@QuarkusTest
class MalformedRequestResourceTest {

    private String tenant;
    private String admin;

    @BeforeEach
    void tenant() {
        tenant = Api.uniqueTenant("malformed");
        admin = Api.createTenant(tenant);
    }

    @Test
    void shouldAnswerAnArrayForAnApiKeyWithProblemJsonSayingTheShapeNotAnEmpty400() {
        Api.as(admin)
                .contentType("application/json")
                .body("[{\"role\":\"integration\"}]")
                .post("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/malformed-json"))
                .body("detail", containsString("wrong shape: expected a JSON object"))
                .body("detail", containsString("line 1, column 1"));
        for (String body : new String[] {"\"integration\"", "42", "{\"role\":"}) {
            Api.as(admin)
                    .contentType("application/json")
                    .body(body)
                    .post("/api/v1/tenants/" + tenant + "/api-keys")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("line 1"));
        }
    }

    @Test
    void shouldAnswerAnObjectOrInvalidJsonForFeedbackWithProblemJsonNotAnEmpty400() {
        Api.as(admin)
                .contentType("application/json")
                .body("{\"key\":\"a\",\"label\":1}")
                .post("/api/v1/tenants/" + tenant + "/models/m/feedback")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("wrong shape: expected an array"));
        Api.as(admin)
                .contentType("application/json")
                .body("[{\"key\":")
                .post("/api/v1/tenants/" + tenant + "/models/m/feedback")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/malformed-json"))
                .body("detail", containsString("line 1"));
        Api.as(admin)
                .contentType("application/json")
                .body("[" + "[".repeat(2_000) + "]".repeat(2_000) + "]")
                .post("/api/v1/tenants/" + tenant + "/models/m/feedback")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void shouldRefuseANulInAPathOrQueryValueWith400NamingTheParameterNot500() {
        RestAssured.given()
                .urlEncodingEnabled(false)
                .header("Authorization", "Bearer " + admin)
                .get("/api/v1/tenants/" + tenant + "/models/%00")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/invalid-parameter"))
                .body("parameter", equalTo("model"))
                .body("in", equalTo("path"))
                .body("detail", containsString("U+0000"));
        RestAssured.given()
                .urlEncodingEnabled(false)
                .header("Authorization", "Bearer " + admin)
                .get("/api/v1/tenants/" + tenant + "/trainings?model=%00")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("model"))
                .body("in", equalTo("query"));
        // Before authentication too: the tenant lookup is the first query a request makes.
        RestAssured.given()
                .urlEncodingEnabled(false)
                .header("Authorization", "Bearer " + admin)
                .get("/api/v1/tenants/a%00b/models")
                .then()
                .statusCode(400)
                .body("parameter", equalTo("tenant"));
    }

    @Test
    void shouldAnswerAUriTooLongWith414ProblemJson() {
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/models/" + "m".repeat(9_000))
                .then()
                .statusCode(414)
                .contentType("application/problem+json")
                .body("detail", containsString("at most 8192"));
    }
}
