package io.tenantml.shared.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The 400 of a body that breaks its declared constraints, as a client reads it. */
@QuarkusTest
class ValidationProblemResourceTest {

    /** It said "create.request: must not be null": the Java method and parameter, not the client's words. */
    @Test
    void shouldSayABodyIsMissingInTheClientsWordsNotTheJavaMethods() {
        String tenant = Api.uniqueTenant("vp");
        String admin = Api.createTenant(tenant);

        Response missing = Api.as(admin).contentType(ContentType.JSON).post("/api/v1/tenants/" + tenant + "/api-keys");

        assertThat(missing.statusCode()).as(missing.asString()).isEqualTo(400);
        assertThat(missing.<String>path("detail")).isEqualTo("the body: must not be null");
        assertThat(missing.<String>path("in")).isEqualTo("body");
        assertThat(missing.<String>path("field")).isNull();
        assertThat(missing.<List<Map<String, String>>>path("errors"))
                .containsExactly(Map.of("message", "must not be null"));
    }

    /** Several violations come in one order every time, and the first names the field as every other 400 does. */
    @Test
    void shouldListEveryViolationInAStableOrderAndNameTheFirstField() {
        String tenant = Api.uniqueTenant("vp");
        String admin = Api.createTenant(tenant);

        for (int i = 0; i < 3; i++) {
            Response refused = Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", " "))
                    .post("/api/v1/tenants/" + tenant + "/api-keys");

            assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(400);
            assertThat(refused.<String>path("field")).isEqualTo("name");
            assertThat(refused.<String>path("detail"))
                    .isEqualTo("name: letters, digits, space, '.', '_' or '-', starting with a letter or digit;"
                            + " name: must not be blank; role: must not be null");
            assertThat(refused.<List<String>>path("errors.field")).containsExactly("name", "name", "role");
        }
    }
}
