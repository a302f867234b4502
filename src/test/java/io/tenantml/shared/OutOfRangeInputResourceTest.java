package io.tenantml.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.builder.ResponseSpecBuilder;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.ResponseSpecification;
import io.tenantml.experts.ExpertsData;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input that parses but lies outside what the platform can hold, each answered 500 in a bad-input probe of
 * 2026-11-30: instants a billion years away, cron schedules that never fire, numbers beyond the float range,
 * text with nothing to embed, a plan rate no token bucket can refill, duplicate JSON keys. Each is now a 4xx
 * problem naming the field or parameter, and nothing is written.
 */
@QuarkusTest
class OutOfRangeInputResourceTest {

    private static final List<String> BEYOND_THE_YEARS =
            List.of("+300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z", "+292278994-08-17T07:12:55Z");

    private String tenant;
    private String admin;

    /** A problem+json refusal with this status that names what it refused under {@code key}. */
    private static ResponseSpecification refused(int status, String key, String name) {
        return new ResponseSpecBuilder()
                .expectStatusCode(status)
                .expectContentType("application/problem+json")
                .expectBody(key, equalTo(name))
                .build();
    }

    @BeforeEach
    void tenant() {
        tenant = Api.uniqueTenant("range");
        admin = Api.createTenant(tenant);
    }

    @Test
    void shouldRefuseTimeFiltersBeyondTheYears0001To9999NamingTheParameter() {
        Map<String, String> tenantPaths = Map.of(
                "/api/v1/tenants/" + tenant + "/usage", admin,
                "/api/v1/tenants/" + tenant + "/audit", admin,
                "/api/v1/tenants/" + tenant + "/models/m/monitoring/windows", admin);
        Map<String, String> paths = new HashMap<>(tenantPaths);
        for (String operatorPath : List.of(
                "/api/v1/audit", "/api/v1/reports/usage", "/api/v1/reports/costs", "/api/v1/reports/cost-value")) {
            paths.put(operatorPath, Api.OPERATOR_KEY);
        }
        paths.forEach((path, key) -> {
            for (String instant : BEYOND_THE_YEARS) {
                for (String parameter : List.of("from", "to")) {
                    Api.as(key)
                            .accept(ContentType.JSON)
                            .queryParam(parameter, instant)
                            .get(path)
                            .then()
                            .spec(refused(400, "parameter", parameter))
                            .body("detail", containsString("between the years 0001 and 9999"));
                }
            }
            // the last representable day is still a filter
            Api.as(key)
                    .accept(ContentType.JSON)
                    .queryParam("to", "9999-12-31T00:00:00Z")
                    .get(path)
                    .then()
                    .statusCode(path.endsWith("/windows") ? 404 : 200);
        });
    }

    @Test
    void shouldRefuseAForgedCursorWhoseInstantLiesBeyondTheStoredYears() {
        String forged = PageRequest.cursor(
                "api-keys",
                List.of("+999999999-12-31T00:00:00Z", UUID.randomUUID().toString()));
        Api.as(admin)
                .queryParam("cursor", forged)
                .get("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .spec(refused(400, "parameter", "cursor"));
        Api.asOperator()
                .queryParam("cursor", PageRequest.cursor("rate-cards", List.of("+999999999-12-31")))
                .get("/api/v1/rate-cards")
                .then()
                .spec(refused(400, "parameter", "cursor"));
    }

    @Test
    void shouldRefuseAScheduleThatNeverFiresAgainAndWriteNothing() {
        Fixtures.uploadVersion(
                tenant,
                admin,
                "customers",
                "text/csv",
                "usage,plan,churned\n1.5,basic,true\n2.5,pro,false\n".getBytes(StandardCharsets.UTF_8));
        for (String field : List.of("schedule", "monitoringSchedule")) {
            Map<String, Object> spec = new HashMap<>(Map.of(
                    "dataset", "customers", "target", "churned", "objective", "binary", field, "0 0 3 1 1 ? 1999"));
            Fixtures.putModel(tenant, admin, "churn", spec)
                    .then()
                    .spec(refused(400, "field", field))
                    .body("detail", containsString("never fires again"));
            Api.as(admin).get(Fixtures.base(tenant) + "/models/churn").then().statusCode(404);
        }
        ExpertsData.declare(tenant, admin, "answers");
        Map<String, Object> recommender = new HashMap<>(ExpertsData.spec("answers"));
        recommender.put("schedule", "0 0 3 1 1 ? 1999");
        ExpertsData.put(tenant, admin, "who", recommender)
                .then()
                .spec(refused(400, "field", "schedule"))
                .body("detail", containsString("never fires again"));
        Api.as(admin).get(ExpertsData.path(tenant, "who")).then().statusCode(404);
    }

    @Test
    void shouldRefuseRecommendTextWithNothingToEmbedTooManyTagsOrExclusionsAndBlankOnesButSearchAVeryLongQuestion() {
        ExpertsData.declare(tenant, admin, "answers");
        Fixtures.uploadVersion(tenant, admin, "answers", "text/csv", ExpertsData.slice(0, 40, a -> a));
        ExpertsData.put(tenant, admin, "who", ExpertsData.spec("answers"))
                .then()
                .statusCode(201);
        assertThat(ExpertsData.build(tenant, admin, "who").<String>path("status"))
                .isEqualTo("succeeded");

        // not blank to String.isBlank, yet nothing a tokenizer keeps
        for (String nothing : List.of("\u200b", "\u00a0\u2003", "\u0001\u0002", "\u0301\u0301")) {
            ExpertsData.recommend(tenant, admin, "who", Map.of("text", nothing))
                    .then()
                    .spec(refused(400, "field", "text"));
        }
        ExpertsData.recommend(tenant, admin, "who", Map.of("text", "rules", "tags", Collections.nCopies(51, "web")))
                .then()
                .spec(refused(400, "field", "tags"));
        // exclude had no limit and took null and blank names in silence, where tags refused them
        ExpertsData.recommend(tenant, admin, "who", Map.of("text", "rules", "exclude", Collections.nCopies(1_001, "x")))
                .then()
                .spec(refused(400, "field", "exclude"));
        ExpertsData.recommend(tenant, admin, "who", Map.of("text", "rules", "exclude", List.of("x", " ")))
                .then()
                .spec(refused(400, "field", "exclude[1]"));
        ExpertsData.recommend(tenant, admin, "who", Map.of("text", "rules", "exclude", Collections.nCopies(1_000, "x")))
                .then()
                .statusCode(200);
        // 1,500 one-letter words: one keyword clause each, past Lucene's limit of 1,024 before the cut
        String manyWords = "a b c d e f g h i j ".repeat(150);
        Response answered = ExpertsData.recommend(
                tenant, admin, "who", Map.of("text", manyWords, "tags", Collections.nCopies(50, "web")));
        assertThat(answered.statusCode()).as(answered.asString()).isEqualTo(200);
        assertThat(answered.<List<?>>path("experts")).isNotEmpty();
    }

    @Test
    void shouldQuarantineNumbersBeyondTheFloatRangeAtIngestion() {
        StringBuilder csv = new StringBuilder("usage,plan,churned\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i).append(".5,basic,").append(i % 2 == 0).append('\n');
        }
        csv.append("1e39,pro,false\n");
        Response uploaded = Fixtures.upload(
                tenant, admin, "customers", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.statusCode()).as(uploaded.asString()).isEqualTo(201);
        assertThat(uploaded.<Integer>path("rows")).isEqualTo(40);
        assertThat(uploaded.<Integer>path("quarantinedRows")).isEqualTo(1);
    }

    @Test
    void shouldRefuseAPlanRateNoTokenBucketCanRefillAndKeepThePlan() {
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("limits", Map.of("predictRequestsPerSecond", 2_000_000_000L)))
                .put("/api/v1/tenants/" + tenant + "/plan")
                .then()
                .spec(refused(400, "field", "predictRequestsPerSecond"));
        Api.asOperator()
                .get("/api/v1/tenants/" + tenant + "/plan")
                .then()
                .statusCode(200)
                .body("limits.predictRequestsPerSecond", equalTo(null));
    }

    @Test
    void shouldRefuseAJsonKeyGivenTwiceAndCreateNothing() {
        int keysBefore =
                Api.as(admin).get("/api/v1/tenants/" + tenant + "/api-keys").path("items.size()");
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body("{\"name\":\"k\",\"role\":\"integration\",\"role\":\"admin\"}")
                .post("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", endsWith("/malformed-json"))
                .body("detail", containsString("role"));
        int keysAfter =
                Api.as(admin).get("/api/v1/tenants/" + tenant + "/api-keys").path("items.size()");
        assertThat(keysAfter).isEqualTo(keysBefore);
    }

    @Test
    void shouldRefuseFeedbackObservedBeyondTheYearsAndRateCardsEffectiveBeyondThem() {
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(List.of(Map.of(
                        "predictionId", UUID.randomUUID().toString(),
                        "label", "yes",
                        "observedAt", "+300000-01-01T00:00:00Z")))
                .post(Fixtures.base(tenant) + "/models/m/feedback")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("observedAt"));
        String version = "range-" + UUID.randomUUID().toString().substring(0, 8);
        Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "effectiveFrom",
                        "-5000-01-01",
                        "currency",
                        "EUR",
                        "prices",
                        Map.of("predict.records", "0.001")))
                .put("/api/v1/rate-cards/" + version)
                .then()
                .spec(refused(422, "field", "effectiveFrom"));
        Api.asOperator().get("/api/v1/rate-cards/" + version).then().statusCode(404);
    }

    @Test
    void shouldRefuseLogSettingsForAModelNameLongerThanAnyModelCanHave() {
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("sampleRate", 0.5))
                .put(Fixtures.base(tenant) + "/models/" + "m".repeat(101) + "/monitoring/log-settings")
                .then()
                .spec(refused(400, "parameter", "model"));
    }
}
