package io.tenantml;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is the contract a client (the tenant admins' console first) is generated from: every
 * operation says in words what it does, which statuses it answers with which typed body, and that its errors are
 * RFC 9457 problems. Operations are discovered from the document, so a new one is held to this without anyone
 * remembering it.
 */
@QuarkusTest
class OpenApiDocumentResourceTest {

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    private JsonPath openApi;

    // not @BeforeAll: REST Assured knows the application's port only once Quarkus has started it
    @BeforeEach
    void read() {
        openApi = RestAssured.given()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .jsonPath();
    }

    @Test
    void shouldSummariseEveryOperationInWordsRatherThanItsJavaMethodName() {
        List<String> bare = new ArrayList<>();
        eachOperation((operation, op) -> {
            Object summary = op.get("summary");
            // SmallRye derives "Alias History" from aliasHistory() when a method has no summary of its own
            if (!(summary instanceof String s) || s.strip().split("\\s+").length < 3) {
                bare.add(operation + ": " + summary);
            }
        });
        assertThat(bare).as("operations summarised by their method's name").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDocumentATypedBodyForEverySuccessAnswerAndNoBodyForA204() {
        List<String> failures = new ArrayList<>();
        eachOperation((operation, op) -> {
            Map<String, Object> responses = (Map<String, Object>) op.get("responses");
            for (var response : responses.entrySet()) {
                if (!response.getKey().startsWith("2")) {
                    continue;
                }
                Map<String, Object> content =
                        (Map<String, Object>) ((Map<String, Object>) response.getValue()).get("content");
                if (response.getKey().equals("204")) {
                    if (content != null && !content.isEmpty()) {
                        failures.add(operation + " 204 with a body");
                    }
                    continue;
                }
                Map<String, Object> json =
                        content == null ? null : (Map<String, Object>) content.get("application/json");
                if (json != null && (json.get("schema") == null || ((Map<?, ?>) json.get("schema")).isEmpty())) {
                    failures.add(operation + " " + response.getKey() + " answers JSON of no schema");
                }
            }
        });
        assertThat(failures).isEmpty();

        // What the resources really answer (Response.accepted, created, noContent), which the scanner cannot see
        Map<String, List<String>> expected = Map.ofEntries(
                Map.entry("POST /api/v1/tenants", List.of("201")),
                Map.entry("DELETE /api/v1/tenants/{tenant}", List.of("204")),
                Map.entry("POST /api/v1/tenants/{tenant}/api-keys", List.of("201")),
                Map.entry("DELETE /api/v1/tenants/{tenant}/api-keys/{id}", List.of("204")),
                Map.entry("PUT /api/v1/tenants/{tenant}/datasets/{name}", List.of("200", "201")),
                Map.entry("DELETE /api/v1/tenants/{tenant}/datasets/{name}", List.of("204")),
                Map.entry("POST /api/v1/tenants/{tenant}/datasets/{name}/versions", List.of("200", "201")),
                Map.entry("DELETE /api/v1/tenants/{tenant}/datasets/{name}/versions/{version}/rows", List.of("204")),
                Map.entry("PUT /api/v1/tenants/{tenant}/models/{model}", List.of("200", "201")),
                Map.entry("DELETE /api/v1/tenants/{tenant}/models/{model}", List.of("204")),
                Map.entry("POST /api/v1/tenants/{tenant}/models/{model}/trainings", List.of("202")),
                Map.entry("DELETE /api/v1/tenants/{tenant}/models/{model}/aliases/{alias}", List.of("204")),
                Map.entry("DELETE /api/v1/tenants/{tenant}/models/{model}/versions/{version}/approval", List.of("204")),
                Map.entry("DELETE /api/v1/tenants/{tenant}/models/{model}/versions/{version}/artifact", List.of("204")),
                Map.entry("POST /api/v1/tenants/{tenant}/models/{model}/batch-predictions", List.of("202")),
                Map.entry("POST /api/v1/tenants/{tenant}/models/{model}/feedback", List.of("202")),
                Map.entry("POST /api/v1/tenants/{tenant}/models/{model}/monitoring/run", List.of("202")),
                Map.entry("PUT /api/v1/tenants/{tenant}/recommenders/{recommender}", List.of("200", "201")),
                Map.entry("DELETE /api/v1/tenants/{tenant}/recommenders/{recommender}", List.of("204")),
                Map.entry("POST /api/v1/tenants/{tenant}/recommenders/{recommender}/builds", List.of("202")),
                Map.entry("POST /api/v1/tenants/{tenant}/integrations", List.of("201")),
                Map.entry("DELETE /api/v1/tenants/{tenant}/integrations/{clientId}", List.of("204")),
                Map.entry("POST /api/v1/tenants/{tenant}/webhooks", List.of("201")),
                Map.entry("DELETE /api/v1/tenants/{tenant}/webhooks/{id}", List.of("204")),
                Map.entry("POST /api/v1/tenants/{tenant}/webhooks/{id}/test", List.of("202")),
                Map.entry(
                        "POST /api/v1/tenants/{tenant}/webhooks/{id}/deliveries/{delivery}/redeliver", List.of("202")));
        for (var e : expected.entrySet()) {
            assertThat(successes(e.getKey())).as(e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue());
        }
    }

    @Test
    void shouldNameEverySchemaAfterItsTypeWithoutAScannerSuffix() {
        // two classes of one simple name become "X" and "X1", in the order the scanner meets them
        assertThat(openApi.<String, Object>getMap("components.schemas").keySet())
                .as("schema names the scanner numbered")
                .noneMatch(name -> name.matches(".*\\d$"));
    }

    /** A few of them called for real: the answer's status is one the document declares. */
    @Test
    void shouldAnswerWithAStatusItsOperationDeclares() {
        String tenant = Api.uniqueTenant("oasdoc");
        Response onboarded = Api.asOperator()
                .contentType(ContentType.JSON)
                .body(Map.of("id", tenant, "name", "Doc"))
                .post("/api/v1/tenants");
        assertDeclared("POST /api/v1/tenants", onboarded);
        String admin = onboarded.path("adminApiKey");
        String base = "/api/v1/tenants/" + tenant;

        Response key = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "k", "role", "integration"))
                .post(base + "/api-keys");
        assertDeclared("POST /api/v1/tenants/{tenant}/api-keys", key);
        assertDeclared(
                "DELETE /api/v1/tenants/{tenant}/api-keys/{id}",
                Api.as(admin).delete(base + "/api-keys/" + key.path("id")));
        for (int i = 0; i < 2; i++) {
            assertDeclared(
                    "PUT /api/v1/tenants/{tenant}/datasets/{name}",
                    Api.as(admin)
                            .contentType(ContentType.JSON)
                            .body(Map.of("description", "attempt " + i))
                            .put(base + "/datasets/d"));
        }
        assertDeclared(
                "DELETE /api/v1/tenants/{tenant}/datasets/{name}", Api.as(admin).delete(base + "/datasets/d"));
        assertDeclared("DELETE /api/v1/tenants/{tenant}", Api.asOperator().delete(base));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDescribeEveryErrorAsAProblemDetail() {
        assertThat(openApi.getMap("components.schemas")).as("schemas").containsKey("Problem");
        assertThat(openApi.getMap("components.schemas.Problem.properties").keySet())
                .contains("type", "title", "status", "detail", "instance");
        List<String> failures = new ArrayList<>();
        eachOperation((operation, op) -> {
            Map<String, Object> responses = (Map<String, Object>) op.get("responses");
            List<String> required = new ArrayList<>(List.of("401", "403", "default"));
            if (operation.substring(operation.indexOf(' ')).contains("{")) {
                required.add("404");
            }
            for (String code : required) {
                if (!responses.containsKey(code)) {
                    failures.add(operation + " documents no " + code);
                }
            }
            for (var response : responses.entrySet()) {
                if (response.getKey().startsWith("2") || response.getKey().startsWith("3")) {
                    continue;
                }
                Map<String, Object> content =
                        (Map<String, Object>) ((Map<String, Object>) response.getValue()).get("content");
                Object ref = content == null || !(content.get("application/problem+json") instanceof Map<?, ?> p)
                        ? null
                        : ((Map<?, ?>) p.get("schema")).get("$ref");
                if (!"#/components/schemas/Problem".equals(ref)) {
                    failures.add(operation + " " + response.getKey() + " is not a problem+json Problem");
                }
            }
        });
        assertThat(failures).isEmpty();
    }

    /**
     * Every operation names the roles that may call it (x-tenantml-roles), and the names hold: every GET that takes
     * no parameter but the tenant answers an admin's and an integration key 403 exactly when the document leaves
     * their role out.
     */
    @Test
    @SuppressWarnings("unchecked")
    void shouldNameTheRolesThatMayCallEachOperationAsAuthenticationAppliesThem() {
        List<String> unnamed = new ArrayList<>();
        eachOperation((operation, op) -> {
            if (!(op.get("x-tenantml-roles") instanceof List<?> roles) || !roles.contains("operator")) {
                unnamed.add(operation + ": " + op.get("x-tenantml-roles"));
            }
        });
        assertThat(unnamed)
                .as("operations without their roles (operators may call all)")
                .isEmpty();

        String tenant = Api.uniqueTenant("roles");
        String admin = Api.createTenant(tenant);
        Map<String, String> keys = Map.of("admin", admin, "integration", Api.createKey(tenant, admin, "integration"));
        List<String> checked = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        eachOperation((operation, op) -> {
            String path = operation.substring("GET ".length());
            if (!operation.startsWith("GET ") || path.replace("{tenant}", "").contains("{")) {
                return;
            }
            List<String> roles = (List<String>) op.get("x-tenantml-roles");
            for (var key : keys.entrySet()) {
                Response answer = Api.as(key.getValue()).get(path.replace("{tenant}", tenant));
                if ((answer.statusCode() == 403) == roles.contains(key.getKey())) {
                    wrong.add(operation + " as " + key.getKey() + ": documented " + roles + ", answered "
                            + answer.statusCode());
                }
            }
            checked.add(operation);
        });
        assertThat(wrong).isEmpty();
        assertThat(checked).as("operations checked against their answers").hasSizeGreaterThan(10);
    }

    @SuppressWarnings("unchecked")
    private void eachOperation(BiConsumer<String, Map<String, Object>> check) {
        Map<String, Map<String, Object>> paths = openApi.getMap("paths");
        for (var path : paths.entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (String method : METHODS) {
                if (path.getValue().get(method) instanceof Map<?, ?> op) {
                    check.accept(method.toUpperCase() + " " + path.getKey(), (Map<String, Object>) op);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<String> successes(String operation) {
        String[] parts = operation.split(" ", 2);
        Map<String, Object> op = openApi.getMap("paths.'" + parts[1] + "'." + parts[0].toLowerCase());
        assertThat(op).as(operation).isNotNull();
        return ((Map<String, Object>) op.get("responses"))
                .keySet().stream().filter(code -> code.startsWith("2")).toList();
    }

    private void assertDeclared(String operation, Response answer) {
        assertThat(successes(operation))
                .as("%s answered %d %s", operation, answer.statusCode(), answer.asString())
                .contains(Integer.toString(answer.statusCode()));
    }
}
