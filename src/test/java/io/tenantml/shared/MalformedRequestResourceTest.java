package io.tenantml.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.tenantml.experts.ExpertsData;
import io.tenantml.testing.Api;
import io.tenantml.testing.RawHttp;
import java.util.Map;
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
                .body("detail", containsString("wrong shape: expected a JSON object, was an array"))
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
    void shouldAnswerAMisspeltFieldWithWhereItIsAndTheFieldsTheObjectTakes() {
        Api.asOperator()
                .contentType("application/json")
                .body("{\"storedBytes\":1}")
                .put("/api/v1/tenants/" + tenant + "/plan")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("storedBytes"))
                .body(
                        "detail",
                        equalTo(
                                "Unknown field 'storedBytes' at line 1, column 18; the fields here are effective, limits"));
    }

    /** Refused before any resource ran (no credential, another tenant, an unknown parameter): the path is named. */
    @Test
    void shouldNameTheRequestsPathInEveryProblemWhicheverLayerRefusedIt() {
        String models = "/api/v1/tenants/" + tenant + "/models";
        RestAssured.given().get(models).then().statusCode(401).body("instance", equalTo(models));
        String ghost = "/api/v1/tenants/" + Api.uniqueTenant("ghost");
        Api.asOperator().get(ghost).then().statusCode(404).body("instance", equalTo(ghost));
        Api.as(admin).get(models + "?limt=1").then().statusCode(400).body("instance", equalTo(models));
        Api.as(admin)
                .header("Content-Encoding", "gzip")
                .contentType("text/csv")
                .body("x\n1\n")
                .post("/api/v1/tenants/" + tenant + "/datasets/d/versions")
                .then()
                .statusCode(415)
                .body("instance", equalTo("/api/v1/tenants/" + tenant + "/datasets/d/versions"));
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
                .body("detail", containsString("wrong shape: expected an array, was an object"));
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
    void shouldAnswerAContentTypeThatIsNoMediaTypeWith415ProblemJsonWhereAPathHasSeveralMethodsNot500() {
        // the JSON and the CSV method of one path: RESTEasy parses the Content-Type of a GET to choose between them
        Api.asOperator()
                .header("Content-Type", "garbage")
                .get("/api/v1/reports/costs")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("detail", containsString("not a media type"));
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

    @Test
    void shouldAnswerABrokenPercentEscapeWith400ProblemJsonNamingWhereNotAnEmpty400() throws Exception {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + admin);
        String models = "/api/v1/tenants/" + tenant + "/models/";
        assertBroken(models + "%zz", auth, "path", null, "'%zz' at character " + models.length());
        assertBroken(models + "m%", auth, "path", null, "'%' at character " + (models.length() + 1));
        assertBroken(models + "%G1", auth, "path", null, "'%G1'");
        assertBroken("/api/v1/tenants/" + tenant + "/trainings?model=%zz", auth, "query", "model", "'%zz'");
        assertBroken("/api/v1/tenants/" + tenant + "/trainings?limit=5&model=a%", auth, "query", "model", "'%'");
        assertBroken("/api/v1/tenants?limit=%g1", auth, "query", "limit", "'%g1'");
        // Before authentication: no credential, and a path no resource has.
        assertBroken("/%zz", Map.of(), "path", null, "'%zz' at character 1");

        // A character a URI cannot hold unescaped is refused likewise.
        RawHttp.Answer answer = RawHttp.get(models + "a|b", auth);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(new JsonPath(answer.body()).getString("detail")).contains("'|'", "percent-encoded");
    }

    private static void assertBroken(String uri, Map<String, String> headers, String in, String parameter, String what)
            throws Exception {
        RawHttp.Answer answer = RawHttp.get(uri, headers);
        assertThat(answer.status()).as("status of %s", uri).isEqualTo(400);
        assertThat(answer.contentType()).as("content type of %s", uri).startsWith("application/problem+json");
        JsonPath problem = new JsonPath(answer.body());
        assertThat(problem.getString("type")).as("type for %s", uri).endsWith("/invalid-uri");
        assertThat(problem.getInt("status")).isEqualTo(400);
        assertThat(problem.getString("detail"))
                .as("detail for %s", uri)
                .contains("broken percent-escape", what, "two hexadecimal digits");
        assertThat(problem.getString("in")).as("where in %s", uri).isEqualTo(in);
        assertThat(problem.getString("parameter")).as("parameter of %s", uri).isEqualTo(parameter);
        assertThat(problem.getString("instance")).as("instance of %s", uri).isNotBlank();
    }

    @Test
    void shouldAnswerHeadersTooLargeWith431ProblemJson() throws Exception {
        RawHttp.Answer answer = RawHttp.get(
                "/api/v1/tenants/" + tenant + "/models",
                Map.of("Authorization", "Bearer " + admin, "X-Padding", "p".repeat(30_000)));
        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(new JsonPath(answer.body()).getString("detail")).contains("at most 20480");
    }

    /** Both said only that the type was wrong; a client could not learn the right one from the answer. */
    @Test
    void shouldNameTheMediaTypesAnEndpointTakesOrAnswersWhenARequestsAreNotAmongThem() {
        String versions = "/api/v1/tenants/" + tenant + "/datasets/typed/versions";
        Api.as(admin)
                .contentType("text/plain")
                .body("x\n1\n")
                .post(versions)
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .header("Accept", equalTo("application/json, application/x-ndjson, text/csv"))
                .body(
                        "detail",
                        equalTo("Unsupported Content-Type 'text/plain; charset=ISO-8859-1' for " + versions
                                + "; POST here takes application/json, application/x-ndjson, text/csv"));
        Api.as(admin).get(versions).then().statusCode(404);
        String models = "/api/v1/tenants/" + tenant + "/models/m";
        Api.as(admin)
                .contentType("text/csv")
                .body("x\n")
                .put(models)
                .then()
                .statusCode(415)
                .body("detail", endsWith("; PUT here takes application/json"));
        Api.asOperator()
                .accept("application/xml")
                .get("/api/v1/reports/costs")
                .then()
                .statusCode(406)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        equalTo("None of the Accept media types can be produced here; it answers application/json,"
                                + " text/csv"));
        // declared once for the whole class
        Api.as(admin)
                .accept("application/xml")
                .get("/api/v1/tenants/" + tenant + "/models")
                .then()
                .statusCode(406)
                .body("detail", endsWith("; it answers application/json"));
    }

    @Test
    void shouldRefuseACompressedBodyWith415AndStoreNothing() {
        Api.as(admin)
                .contentType("text/csv")
                .header("Content-Encoding", "gzip")
                .body("not gzip at all\n1,2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/tenants/" + tenant + "/datasets/squeezed/versions")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .header("Accept-Encoding", "identity")
                .body("header", equalTo("Content-Encoding"));
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/datasets/squeezed")
                .then()
                .statusCode(404);
    }

    @Test
    void shouldAnswerAMethodNoOperationOfAnExistingPathTakesWith405ListingTheAllowedOnes() {
        String models = "/api/v1/tenants/" + tenant + "/models";
        for (String method : new String[] {"PATCH", "TRACE", "DELETE"}) {
            Api.as(admin)
                    .request(method, models)
                    .then()
                    .statusCode(405)
                    .contentType("application/problem+json")
                    .header("Allow", equalTo("GET, HEAD, OPTIONS"))
                    .body("status", equalTo(405))
                    .body("detail", containsString(method + " is not an operation of " + models));
        }
        Api.as(admin)
                .request("PATCH", "/api/v1/tenants/" + tenant)
                .then()
                .statusCode(405)
                .contentType("application/problem+json")
                .header("Allow", containsString("DELETE"));
        Api.asOperator().put("/api/v1/tenants").then().statusCode(405).header("Allow", containsString("POST"));
        Api.as(admin)
                .request("PATCH", models + "/no-such-model/versions/1")
                .then()
                .statusCode(405)
                .contentType("application/problem+json");
        Api.as(admin)
                .request("PATCH", models + "/no-such-model/no-such-thing")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void shouldAnswerOptionsWithTheMethodsOfThePathItselfAndNotFoundForAPathThatIsNone() {
        String models = "/api/v1/tenants/" + tenant + "/models";
        Api.as(admin).request("OPTIONS", models).then().statusCode(204).header("Allow", equalTo("GET, HEAD, OPTIONS"));
        Api.as(admin)
                .request("OPTIONS", models + "/churn")
                .then()
                .statusCode(204)
                .header("Allow", equalTo("DELETE, GET, HEAD, OPTIONS, PUT"));
        Api.as(admin)
                .request("OPTIONS", models + "/churn/nothing/here")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    /**
     * A fraction where an integer belongs is refused with the field named: Jackson truncated it, so {@code "k": 2.5}
     * asked for 2 experts and a recommender stored with {@code "dailyCap": 2.5} capped at 2, both answered 200.
     */
    @Test
    void shouldRefuseAFractionForAnIntegerFieldInsteadOfTruncatingItAndStoreNothing() {
        ExpertsData.recommend(tenant, admin, "r", Map.of("text", "who knows the alerting rules?", "k", 2.5))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/malformed-json"))
                .body("detail", containsString("Field 'k' must be an integer, was 2.5"))
                .body("field", equalTo("k"));
        Map<String, Object> capped = new java.util.HashMap<>(ExpertsData.spec("answers"));
        capped.put("dailyCap", 2.5);
        ExpertsData.put(tenant, admin, "r", capped)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("dailyCap"))
                .body("detail", equalTo("Field 'dailyCap' must be an integer, was 2.5"));
        Api.as(admin).get(ExpertsData.path(tenant, "r")).then().statusCode(404);
    }

    /**
     * A value that does not map is described in JSON's words: before, the detail was Jackson's own text, naming
     * Java types ({@code `io.tenantml.shared.Role`}, {@code `java.lang.Double`}) and calling valid JSON invalid.
     */
    @Test
    void shouldDescribeAValueThatDoesNotMapWithoutJavaTypeNames() {
        String role = Api.as(admin)
                .contentType("application/json")
                .body(Map.of("name", "k", "role", "boss"))
                .post("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .extract()
                .path("detail");
        assertThat(role)
                .startsWith("Field 'role' has an invalid value: unknown role 'boss'")
                .doesNotContain("`", "io.tenantml", "not valid JSON");
        Map<String, Object> unreadable = new java.util.HashMap<>(ExpertsData.spec("answers"));
        unreadable.put("halfLifeDays", "abc");
        String halfLife = ExpertsData.put(tenant, admin, "r", unreadable)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("halfLifeDays"))
                .extract()
                .path("detail");
        assertThat(halfLife).isEqualTo("Field 'halfLifeDays' must be a number, was \"abc\"");
    }
}
