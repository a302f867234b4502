package io.tenantml.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.tenantml.audit.internal.AuditFilter;
import io.tenantml.shared.NotAudited;
import io.tenantml.shared.rest.RouteCatalogue;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No mutating endpoint escapes the audit trail. Every POST, PUT, PATCH and DELETE the OpenAPI document
 * publishes must be a JAX-RS method of ours (the audit filter sees exactly those) and either audited or
 * exempted by {@link NotAudited} with a reason listed here (a new exemption fails until it is listed and
 * reviewed). Then each operation is called for real on a tenant with data: every call answered 2xx must
 * have left exactly one entry with its request id (or none, when exempted), every refused call none.
 */
@QuarkusTest
class AuditCoverageResourceTest {

    private static final Pattern PARAM = Pattern.compile("\\{([^}/]+)}");
    private static final Set<String> MUTATING = Set.of("post", "put", "patch", "delete");
    private static final Map<Class<? extends Annotation>, String> HTTP =
            Map.of(POST.class, "POST", PUT.class, "PUT", PATCH.class, "PATCH", DELETE.class, "DELETE");

    /** The exempted operations: the data plane, where an entry per call would be noise at prediction rate. */
    private static final Set<String> EXEMPT = Set.of(
            "POST /api/v1/tenants/{tenant}/models/{model}/predict",
            "POST /api/v1/tenants/{tenant}/models/{model}/feedback",
            "POST /api/v1/tenants/{tenant}/recommenders/{recommender}/recommend");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldAuditEveryMutatingOperationOrExemptItWithAReason() throws Exception {
        Map<String, Method> methods = resourceMethods();
        Map<String, Map<String, Object>> paths = RestAssured.given()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .jsonPath()
                .getMap("paths");
        Set<String> operations = new TreeSet<>();
        Set<String> takingBodies = new TreeSet<>();
        paths.forEach((path, ops) -> {
            if (path.startsWith("/api/")) {
                ops.keySet().stream()
                        .filter(MUTATING::contains)
                        .forEach(m -> operations.add(m.toUpperCase() + " " + path));
                ops.forEach((m, op) -> {
                    if (op instanceof Map<?, ?> described && described.containsKey("requestBody")) {
                        takingBodies.add(m.toUpperCase() + " " + path);
                    }
                });
            }
        });
        assertThat(operations)
                .as("mutating operations in /q/openapi")
                .contains("POST /api/v1/tenants", "PUT /api/v1/tenants/{tenant}/models/{model}/aliases/{alias}");
        assertThat(methods.keySet())
                .as("every mutating operation is a resource method the audit filter sees")
                .containsAll(operations);
        Map<String, String> exempt = new TreeMap<>();
        for (String op : operations) {
            NotAudited na = methods.get(op).getAnnotation(NotAudited.class);
            if (na != null) {
                assertThat(na.value()).as("reason of %s", op).isNotBlank();
                exempt.put(op, na.value());
            }
        }
        assertThat(exempt.keySet())
                .as("operations exempted from the audit trail")
                .isEqualTo(EXEMPT);

        // Live: a tenant with a dataset, a trained model (version 1, production) and a spare key.
        String tenant = Api.uniqueTenant("coverage");
        String admin = Api.createTenant(tenant);
        Api.createKey(tenant, admin, "integration");
        String spareKey = Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/api-keys")
                .then()
                .extract()
                .path("items.find { it.role == 'integration' }.id");
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        Fixtures.defineModel(tenant, admin, "species", Fixtures.PENGUINS_SPECIES, true);
        String training = Fixtures.startTraining(tenant, admin, "species");
        Fixtures.awaitEnd(admin, Fixtures.trainingPath(tenant, training));
        Map<String, String> samples = new LinkedHashMap<>();
        samples.put("tenant", tenant);
        samples.put("api-keys/id", spareKey);
        samples.put("trainings/id", training);
        samples.put("batch-predictions/id", java.util.UUID.randomUUID().toString());
        samples.put("name", "penguins");
        samples.put("model", "species");
        samples.put("alias", "production");
        samples.put("version", "1");
        samples.put("recommender", "canary");
        samples.put("clientId", "tenant." + tenant + ".integration");

        // Bodies that make some calls succeed; every other call that takes a body sends {} (most answer 400, which
        // is checked too), and one that takes none sends none (it would be refused).
        Map<String, String> bodies = Map.of(
                "POST /api/v1/tenants",
                "{\"id\": \"" + Api.uniqueTenant("coverage-new") + "\", \"name\": \"New\"}",
                "POST /api/v1/tenants/{tenant}/api-keys",
                "{\"name\": \"coverage\", \"role\": \"integration\"}",
                "PUT /api/v1/tenants/{tenant}/models/{model}/aliases/{alias}",
                "{\"version\": 1, \"reason\": \"coverage\"}");
        // Changes first, removals after them, the tenant's own removal (offboarding) last.
        List<String> order = new ArrayList<>(operations);
        order.sort(Comparator.comparing((String op) -> op.equals("DELETE /api/v1/tenants/{tenant}"))
                .thenComparing(op -> op.startsWith("DELETE")));
        List<String> failures = new ArrayList<>();
        Set<String> auditedLive = new TreeSet<>();
        int n = 0;
        for (String op : order) {
            String method = op.substring(0, op.indexOf(' '));
            String url = fill(op.substring(op.indexOf(' ') + 1), samples);
            String requestId = "coverage-" + tenant + "-" + n++;
            String body = bodies.getOrDefault(op, takingBodies.contains(op) ? "{}" : null);
            Response r = call(admin, method, url, requestId, body);
            if (r.statusCode() == 403) {
                requestId = "coverage-" + tenant + "-" + n++;
                r = call(Api.OPERATOR_KEY, method, url, requestId, body);
            }
            boolean success = r.statusCode() >= 200 && r.statusCode() < 300;
            long expected = success && !EXEMPT.contains(op) ? 1 : 0;
            long entries = entries(requestId);
            if (entries != expected) {
                failures.add(op + " answered " + r.statusCode() + " and left " + entries + " entries (expected "
                        + expected + ")");
            }
            if (success && expected == 1) {
                auditedLive.add(op);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(auditedLive)
                .as("operations seen audited live")
                .contains(
                        "POST /api/v1/tenants",
                        "POST /api/v1/tenants/{tenant}/api-keys",
                        "PUT /api/v1/tenants/{tenant}/models/{model}/aliases/{alias}",
                        "POST /api/v1/tenants/{tenant}/models/{model}/trainings",
                        "DELETE /api/v1/tenants/{tenant}/api-keys/{id}",
                        "DELETE /api/v1/tenants/{tenant}");
    }

    /** {@code body} null: none at all. */
    private static Response call(String key, String method, String url, String requestId, String body) {
        var request = Api.as(key).header(AuditFilter.REQUEST_ID_HEADER, requestId);
        return (body == null ? request : request.contentType("application/json").body(body)).request(method, url);
    }

    private long entries(String requestId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from audit_entry where request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every mutating JAX-RS method of ours, by "METHOD template" as the audit filter names it. */
    private static Map<String, Method> resourceMethods() {
        Map<String, Method> methods = new TreeMap<>();
        for (JavaClass type : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tenantml")) {
            if (!type.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> resource = type.reflect();
            for (Method m : resource.getMethods()) {
                HTTP.forEach((annotation, verb) -> {
                    if (m.isAnnotationPresent(annotation)) {
                        methods.put(verb + " " + RouteCatalogue.template(resource, m), m);
                    }
                });
            }
        }
        return methods;
    }

    private static String fill(String template, Map<String, String> samples) {
        Matcher m = PARAM.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String[] segments = template.substring(0, m.start()).split("/");
            String collection = segments.length == 0 ? "" : segments[segments.length - 1];
            String value = samples.getOrDefault(collection + "/" + m.group(1), samples.get(m.group(1)));
            m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? "sample" : value));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
