package io.tenantml.shared.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PathParameterGuardResourceTest {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    private String tenant;
    private String admin;

    @BeforeEach
    void createTenant() {
        tenant = Api.uniqueTenant("ppg");
        admin = Api.createTenant(tenant);
    }

    /** "abc" can never name a version, so the client hears what is wrong with its request, not "not found". */
    @Test
    void shouldRefuseAVersionThatIsNotANumberNamingTheParameter() {
        Api.as(admin)
                .get(Fixtures.base(tenant) + "/models/m/versions/abc")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/invalid-parameter"))
                .body("parameter", equalTo("version"))
                .body("in", equalTo("path"))
                .body(
                        "detail",
                        equalTo("The path parameter 'version' is 'abc'; it must be a whole number no greater than"
                                + " 2147483647"));
        Api.as(admin)
                .get(Fixtures.base(tenant) + "/models/m/versions/99999999999")
                .then()
                .statusCode(400)
                .body("parameter", equalTo("version"));
    }

    @Test
    void shouldRefuseAnIdThatIsNotAUuidNamingTheParameter() {
        Api.as(admin)
                .get(Fixtures.base(tenant) + "/trainings/42")
                .then()
                .statusCode(400)
                .body("type", endsWith("/invalid-parameter"))
                .body("parameter", equalTo("id"))
                .body("in", equalTo("path"))
                .body(
                        "detail",
                        equalTo("The path parameter 'id' is '42'; it must be a UUID such as"
                                + " 3f2504e0-4f89-41d3-9a0c-0305e82c3301"));
        // UUID.fromString would read this as 00000001-0002-0003-0004-000000000005: no id this API hands out
        Api.as(admin)
                .get(Fixtures.base(tenant) + "/trainings/1-2-3-4-5")
                .then()
                .statusCode(400)
                .body("parameter", equalTo("id"));
    }

    /** The guard refuses only what cannot convert: a well-formed id or version of nothing is still a 404. */
    @Test
    void shouldStillAnswerNotFoundForAWellFormedValueThatNamesNothing() {
        Api.as(admin).get(Fixtures.base(tenant) + "/models/m/versions/7").then().statusCode(404);
        Api.as(admin)
                .get(Fixtures.base(tenant) + "/trainings/3F2504E0-4F89-41D3-9A0C-0305E82C3301")
                .then()
                .statusCode(404);
    }

    /**
     * Every operation with a number or UUID in its path refuses a value that is neither with a 400 naming that
     * parameter, whatever the verb and whoever may call it: a new endpoint is covered without a line here.
     */
    @Test
    void shouldRefuseAnUnconvertiblePathValueOnEveryOperationThatTypesOne() {
        List<String> checked = new ArrayList<>();
        for (RouteCatalogue.Operation op : RouteCatalogue.operations()) {
            List<PathParameterGuard.TypedParameter> all = PathParameterGuard.typedPathParameters(op.method());
            for (PathParameterGuard.TypedParameter typed : all) {
                String path = substitute(op.template(), typed, all);
                RequestSpecification request = Api.as(admin);
                if (UnexpectedBodyGuard.takesBody(op.method())) {
                    request = request.contentType(ContentType.JSON).body("{}");
                }
                Response response = request.request(op.verb(), path);
                assertThat(response.statusCode()).as(op.verb() + " " + path).isEqualTo(400);
                assertThat(response.jsonPath().getString("parameter"))
                        .as(op.verb() + " " + path)
                        .isEqualTo(typed.name());
                checked.add(op.verb() + " " + op.template());
            }
        }
        assertThat(checked).as("operations with a typed path parameter").hasSizeGreaterThan(12);
    }

    /**
     * The template with "not-it" for the parameter under test, a value of the right type for the other typed ones,
     * this test's tenant, and "x" for every other name.
     */
    private String substitute(
            String template,
            PathParameterGuard.TypedParameter underTest,
            List<PathParameterGuard.TypedParameter> typed) {
        Matcher parameter = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (parameter.find()) {
            String name = parameter.group(1);
            String value = name.equals("tenant") ? tenant : "x";
            for (PathParameterGuard.TypedParameter other : typed) {
                if (other.name().equals(name)) {
                    value = other == underTest ? "not-it" : other.type() == UUID.class ? UUID.randomUUID() + "" : "1";
                }
            }
            parameter.appendReplacement(path, value);
        }
        parameter.appendTail(path);
        return path.toString();
    }
}
