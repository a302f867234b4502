package io.tenantml;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Isolation, checked for every endpoint the service publishes: the endpoints are discovered from the
 * OpenAPI document, so a new endpoint is covered without anyone remembering it. Each operation is called
 * with the other tenant's credentials; any 2xx (or 5xx) fails the suite, and so does any change to the
 * victim's rows or files. Subclasses can attack with other kinds of credentials (OIDC tokens).
 */
@QuarkusTest
public class CrossTenantSuiteTest {

    private static final Pattern PARAM = Pattern.compile("\\{([^}/]+)}");
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    private static final String VICTIM_MODEL = "species";
    private static final Map<String, Object> PENGUINS_MODEL = Fixtures.PENGUINS_SPECIES;

    /** The rate card version the suite writes as operator; the attackers' PUT must leave it as it is. */
    static final String RATE_CARD = "cross-tenant-2030";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    io.tenantml.monitoring.PredictionLog predictionLog;

    @Inject
    BlobStore blobs;

    /** A victim tenant with data, and the attacker's credentials by name. */
    protected record Setup(String victim, Map<String, String> victimSamples, Map<String, String> attackerCredentials) {}

    protected Setup setUp() throws Exception {
        String victim = Api.uniqueTenant("victim");
        String attacker = Api.uniqueTenant("attacker");
        String victimAdmin = Api.createTenant(victim);
        String attackerAdmin = Api.createTenant(attacker);
        Api.createKey(victim, victimAdmin, "integration");
        String victimKeyId = Api.as(victimAdmin)
                .get("/api/v1/tenants/" + victim + "/api-keys")
                .then()
                .extract()
                .path("items[0].id");
        blobs.put(new TenantId(victim), BlobKey.of("canary", "file.bin"), new ByteArrayInputStream(new byte[] {42}));
        Api.as(victimAdmin)
                .contentType("text/csv")
                .body("id,x,label\n1,0.5,a\n2,1.5,b\n3,2.5,a\n")
                .post("/api/v1/tenants/" + victim + "/datasets/canary/versions")
                .then()
                .statusCode(201);
        // A real model with a version, the production alias, a finished training and a finished batch with
        // precomputed rows: a leak on any of their paths would have something to leak.
        Fixtures.uploadResource(victim, victimAdmin, "penguins", "penguins.json");
        Fixtures.defineModel(victim, victimAdmin, VICTIM_MODEL, PENGUINS_MODEL, true);
        String training = Fixtures.startTraining(victim, victimAdmin, VICTIM_MODEL);
        Response trained = Fixtures.awaitEnd(victimAdmin, Fixtures.trainingPath(victim, training));
        assertThat(trained.<String>path("status")).as(trained.asString()).isEqualTo("succeeded");
        String models = Fixtures.base(victim) + "/models/" + VICTIM_MODEL;
        String batch = Api.as(victimAdmin)
                .contentType("application/json")
                .body(Map.of("dataset", "penguins"))
                .post(models + "/batch-predictions")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Response batched = Fixtures.awaitEnd(victimAdmin, models + "/batch-predictions/" + batch);
        assertThat(batched.<String>path("status")).as(batched.asString()).isEqualTo("succeeded");
        Api.as(victimAdmin).get(models + "/precomputed/1").then().statusCode(200);
        // A monitoring window of the victim's model, from real traffic, and the run that profiled it.
        Map<String, Object> penguin = new LinkedHashMap<>();
        penguin.put("Island", "Biscoe");
        penguin.put("Beak Length (mm)", 47.5);
        penguin.put("Beak Depth (mm)", 15.0);
        penguin.put("Flipper Length (mm)", 218);
        penguin.put("Body Mass (g)", 4950);
        penguin.put("Sex", "FEMALE");
        Api.as(victimAdmin)
                .contentType("application/json")
                .body(Map.of("records", List.of(penguin, penguin)))
                .post(models + "/predict")
                .then()
                .statusCode(200);
        assertThat(predictionLog.flush(java.time.Duration.ofSeconds(20))).isTrue();
        // Monitoring rules of the victim's model (one named: the attacker's PUT must not reach its state by name),
        // evaluated by the window run below (their state names it).
        Api.as(victimAdmin)
                .contentType("application/json")
                .body(Map.of(
                        "rules",
                        List.of(
                                Map.of("name", "silence", "signal", "volumeZero", "action", "alert"),
                                Map.of("signal", "datasetDrift", "threshold", 0.5, "action", "alert"))))
                .put(models + "/monitoring/rules")
                .then()
                .statusCode(200);
        // The victim's own drift thresholds: an attacker's PUT (even of {}, "back to the defaults") must leave them.
        Api.as(victimAdmin)
                .contentType("application/json")
                .body(Map.of("drift", Map.of("falseDiscoveryRate", 0.01, "psiBins", 20)))
                .put(models + "/monitoring/settings")
                .then()
                .statusCode(200);
        String monitoringRun = Api.as(victimAdmin)
                .post(models + "/monitoring/run")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Response monitored = Fixtures.awaitEnd(victimAdmin, models + "/monitoring/runs/" + monitoringRun);
        assertThat(monitored.<String>path("status")).as(monitored.asString()).isEqualTo("succeeded");
        Api.as(victimAdmin).get(models + "/monitoring").then().statusCode(200);
        Api.as(victimAdmin)
                .get(models + "/monitoring/rules")
                .then()
                .statusCode(200)
                .body("rules[0].state.lastRun", org.hamcrest.Matchers.equalTo(monitoringRun));
        // A version its gate rejected (accuracy cannot improve by 1.0), approved by the victim's admin: the
        // approval paths name a real approval, and the victim's audit trail holds real entries.
        Map<String, Object> unreachableGate = new LinkedHashMap<>(PENGUINS_MODEL);
        unreachableGate.put("gate", Map.of("metric", "accuracy", "minImprovement", 1.0));
        Fixtures.defineModel(victim, victimAdmin, VICTIM_MODEL, unreachableGate, true);
        Response rejected = Fixtures.awaitEnd(
                victimAdmin, Fixtures.trainingPath(victim, Fixtures.startTraining(victim, victimAdmin, VICTIM_MODEL)));
        assertThat(rejected.<String>path("status")).as(rejected.asString()).isEqualTo("rejected");
        Api.as(victimAdmin)
                .contentType("application/json")
                .body(Map.of("reason", "the victim's own approval"))
                .post(models + "/versions/2/approval")
                .then()
                .statusCode(200);
        Api.as(victimAdmin)
                .get("/api/v1/tenants/" + victim + "/audit")
                .then()
                .statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.greaterThan(5));
        // A recommender of the victim (experts), under the same name as the dataset, so that every
        // recommender path names something real.
        io.tenantml.experts.ExpertsData.declare(victim, victimAdmin, "answers");
        Api.as(victimAdmin)
                .contentType("text/csv")
                .body(io.tenantml.experts.ExpertsData.slice(0, 5, java.util.function.UnaryOperator.identity()))
                .post("/api/v1/tenants/" + victim + "/datasets/answers/versions")
                .then()
                .statusCode(201);
        io.tenantml.experts.ExpertsData.put(
                        victim, victimAdmin, "canary", io.tenantml.experts.ExpertsData.spec("answers"))
                .then()
                .statusCode(201);
        // A real rate card version (platform configuration, operators only): an attacker's PUT must not touch it.
        Api.asOperator()
                .contentType("application/json")
                .body(Map.of(
                        "effectiveFrom", "2030-01-01", "currency", "EUR", "prices", Map.of("predict.records", "0.001")))
                .put("/api/v1/rate-cards/" + RATE_CARD)
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        // A webhook of the victim with a delivered test event (receiver on an allow-listed loopback port), and
        // every event of the victim fanned out, so that nothing of the victim changes during the attack.
        receiver = new io.tenantml.webhooks.WebhookReceiver(18582);
        Response hook = Api.as(victimAdmin)
                .contentType("application/json")
                .body(Map.of("url", receiver.url("/victim"), "events", List.of("quota.exceeded")))
                .post("/api/v1/tenants/" + victim + "/webhooks");
        assertThat(hook.statusCode()).as(hook.asString()).isEqualTo(201);
        String hookPath = "/api/v1/tenants/" + victim + "/webhooks/" + hook.<String>path("id");
        String delivery = Api.as(victimAdmin)
                .post(hookPath + "/test")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(() -> "delivered"
                                .equals(Api.as(victimAdmin)
                                        .get(hookPath + "/deliveries")
                                        .then()
                                        .extract()
                                        .path("items[0].status"))
                        && unfannedEvents(victim) == 0);
        // Real names and ids of the victim's objects, so that a leak would find something to leak. A name
        // used in several places ({id}) is given per collection: "<collection>/{param}" before "{param}".
        Map<String, String> samples = new LinkedHashMap<>();
        samples.put("tenant", victim);
        samples.put("api-keys/id", victimKeyId);
        samples.put("trainings/id", training);
        samples.put("batch-predictions/id", batch);
        samples.put("runs/id", monitoringRun);
        samples.put("datasets/name", "canary");
        samples.put("model", VICTIM_MODEL);
        samples.put("alias", "production");
        samples.put("version", "2");
        samples.put("rate-cards/version", RATE_CARD);
        samples.put("recommender", "canary");
        samples.put("build", java.util.UUID.randomUUID().toString());
        samples.put("key", "1");
        samples.put("webhooks/id", hook.path("id"));
        samples.put("delivery", delivery);
        // the victim's newest event (its webhook test event; its training's and promotion's are older)
        samples.put(
                "events/id",
                Api.as(victimAdmin)
                        .get("/api/v1/tenants/" + victim + "/events?limit=1")
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("items[0].id"));
        // API-key-only platforms have no integration clients; the Keycloak suite gives the victim's real one.
        samples.put("clientId", "tenant." + victim + ".integration");
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("attacker admin key", attackerAdmin);
        credentials.put("attacker integration key", Api.createKey(attacker, attackerAdmin, "integration"));
        return new Setup(victim, samples, credentials);
    }

    @Test
    void shouldRefuseEveryEndpointToAnotherTenantAndChangeNothing() throws Exception {
        Setup setup = setUp();
        String before = snapshot(setup.victim());
        List<String> failures = new ArrayList<>();
        int calls = 0;
        Set<String> operations = new TreeSet<>();

        JsonPath openApi = RestAssured.given()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .jsonPath();
        Map<String, Map<String, Object>> paths = openApi.getMap("paths");
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (String method : path.getValue().keySet()) {
                if (!METHODS.contains(method)) {
                    continue;
                }
                operations.add(method.toUpperCase() + " " + path.getKey());
                String url = fill(path.getKey(), setup.victimSamples(), failures);
                for (Map.Entry<String, String> credential :
                        setup.attackerCredentials().entrySet()) {
                    Response response = Api.as(credential.getValue())
                            .contentType("application/json")
                            .body("{}")
                            .request(method.toUpperCase(), url);
                    calls++;
                    int status = response.statusCode();
                    if (status != 403 && status != 404) {
                        failures.add(method.toUpperCase() + " " + url + " as " + credential.getKey() + " -> " + status
                                + " " + response.asString());
                    } else if (!response.contentType().startsWith("application/problem+json")) {
                        failures.add(
                                method.toUpperCase() + " " + url + " answered " + status + " without problem+json");
                    }
                }
            }
        }

        assertThat(operations)
                .as("operations discovered from /q/openapi")
                .hasSizeGreaterThanOrEqualTo(6)
                .contains("POST /api/v1/tenants", "DELETE /api/v1/tenants/{tenant}/api-keys/{id}")
                // operators only: tenant admins and integrations get 403
                .contains(
                        "GET /api/v1/reports/usage",
                        "GET /api/v1/reports/costs",
                        "GET /api/v1/reports/cost-value",
                        "GET /api/v1/rate-cards",
                        "GET /api/v1/rate-cards/{version}",
                        "PUT /api/v1/rate-cards/{version}",
                        "PUT /api/v1/tenants/{tenant}/plan",
                        "GET /api/v1/tenants/{tenant}/usage")
                // per-model monitoring settings (issue 11): reached with the victim's real model
                .contains(
                        "GET /api/v1/tenants/{tenant}/models/{model}/monitoring/settings",
                        "PUT /api/v1/tenants/{tenant}/models/{model}/monitoring/settings")
                // the victim's model has a window: its history and its series (any signal) are refused alike
                .contains(
                        "GET /api/v1/tenants/{tenant}/models/{model}/monitoring/windows",
                        "GET /api/v1/tenants/{tenant}/models/{model}/monitoring/series")
                // a secret rotation with the victim's real endpoint id (and {} for the default overlap): the victim's
                // secret columns are in the snapshot
                .contains("POST /api/v1/tenants/{tenant}/webhooks/{id}/rotate-secret")
                // the event feed, attacked with the victim's real event id
                .contains("GET /api/v1/tenants/{tenant}/events", "GET /api/v1/tenants/{tenant}/events/{id}");
        assertThat(calls)
                .isEqualTo(operations.size() * setup.attackerCredentials().size());
        assertThat(failures).as("cross-tenant calls that were not refused").isEmpty();
        assertThat(snapshot(setup.victim()))
                .as("victim's rows and files after the attack")
                .isEqualTo(before);
        Api.asOperator()
                .get("/api/v1/rate-cards/" + RATE_CARD)
                .then()
                .statusCode(200)
                .body("effectiveFrom", org.hamcrest.Matchers.equalTo("2030-01-01"))
                .body("prices.size()", org.hamcrest.Matchers.equalTo(1));
    }

    /**
     * The path with the victim's real value for each parameter ({@code <collection>/<param>} first, then
     * {@code <param>}); a parameter without one is a failure, not a placeholder that can only answer 404.
     */
    private static String fill(String template, Map<String, String> samples, List<String> failures) {
        Matcher m = PARAM.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String before = template.substring(0, m.start());
            String[] segments = before.split("/");
            String collection = segments.length == 0 ? "" : segments[segments.length - 1];
            String value = samples.getOrDefault(collection + "/" + m.group(1), samples.get(m.group(1)));
            if (value == null) {
                failures.add(template + ": no real value of the victim for {" + m.group(1) + "}");
                value = "sample";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private io.tenantml.webhooks.WebhookReceiver receiver;

    @org.junit.jupiter.api.AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
    }

    private long unfannedEvents(String tenant) throws Exception {
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement(
                        "select count(*) from tenant_event where tenant_id = ? and not fanned_out")) {
            ps.setString(1, tenant);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every row of the tenant in every tenant-owned table, plus its files, as one comparable text. */
    private String snapshot(String tenant) throws Exception {
        return io.tenantml.testing.TenantSnapshot.of(dataSource, blobs, tenant);
    }
}
