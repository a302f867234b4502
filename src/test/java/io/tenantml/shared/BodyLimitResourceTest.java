package io.tenantml.shared;

import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tenantml.testing.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(BodyLimitResourceTest.TinyBodyLimit.class)
class BodyLimitResourceTest {

    public static class TinyBodyLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.limits.max-body-size", "2K");
        }
    }

    @Test
    void shouldAnswerOversizedBodyWith413ProblemNamingTheLimit() {
        String big = "{\"id\":\"big\",\"name\":\"" + "x".repeat(4096) + "\"}";
        Api.asOperator()
                .contentType("application/json")
                .body(big)
                .post("/api/v1/tenants")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("max-body-size"));
        Api.asOperator().get("/api/v1/tenants/big").then().statusCode(404);
    }
}
