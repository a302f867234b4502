package io.tenantml;

import static io.tenantml.testing.Gen.weight;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.testing.Api;
import io.tenantml.testing.Gen;
import io.tenantml.testing.Properties;
import io.tenantml.testing.RawHttp;
import io.tenantml.testing.TenantSnapshot;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests to every operation of {@code /q/openapi}, generated from a fixed seed: bad path segments
 * (NUL, control characters, broken percent-escapes, very long, dots, slashes, Unicode), bad query values, bodies of the wrong shape
 * (arrays, bare strings and numbers, nesting too deep, invalid JSON), wrong content types and Accept headers,
 * missing or bad credentials, and methods an operation does not have. Whatever the request, the answer is never
 * a 5xx, every 4xx is problem+json whose detail says what is wrong, and the victim tenant (attacked with
 * another tenant's key, and with its own key only by requests that cannot be valid) is unchanged, row for row
 * and file for file. A failure lists each request with its try; rerun one with
 * {@code -Dtenantml.seed=<seed> -Dtenantml.try=<try>}.
 */
@QuarkusTest
class ApiFuzzTest {

    static final long SEED = 20261130L;
    static final int TRIES = 2_400;

    private static final Pattern PARAM = Pattern.compile("\\{([^}/]+)}");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    BlobStore blobs;

    /** One operation of the OpenAPI document: its method, path template and declared query parameters. */
    record Operation(String method, String path, List<String> queryParameters) {}

    /** Whose path a request goes to and with which credential. */
    enum Target {
        /** The fuzzing tenant's own paths with its admin key: requests may succeed and change its data. */
        OWN,
        /** The victim's paths with the fuzzing tenant's key: must be refused. */
        VICTIM_AS_ANOTHER_TENANT,
        /** The victim's paths with the victim's own key, only with a path parameter that cannot be valid. */
        VICTIM_INVALID
    }

    /** A request as sent: method, path and query (already encoded), headers and body. */
    record Request(
            String kind, Target target, String method, String pathAndQuery, Map<String, String> headers, String body) {

        @Override
        public String toString() {
            String shown = body == null ? "" : " body " + (body.length() > 120 ? body.substring(0, 120) + "…" : body);
            String uri = pathAndQuery.length() > 200 ? pathAndQuery.substring(0, 200) + "…" : pathAndQuery;
            return kind + " " + target + ": " + method + " " + uri + " " + headers.keySet() + shown;
        }
    }

    private String victim;
    private String victimAdmin;
    private String fuzzer;
    private String fuzzerAdmin;
    private Map<String, String> victimSamples;
    private Map<String, String> ownSamples;

    @Test
    void shouldAnswerMalformedRequestsWithProblemJsonNever5xxAndChangeNoVictimData() throws Exception {
        setUpTenants();
        List<Operation> operations = operations();
        assertThat(operations).as("operations discovered from /q/openapi").hasSizeGreaterThanOrEqualTo(20);
        String before = TenantSnapshot.of(dataSource, blobs, victim);

        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        Gen<Request> requests = requests(operations);
        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, java.util.Set<String>> titlesByType = new TreeMap<>();
        int[] index = {0};
        Properties.check("malformed requests", SEED, TRIES, requests, request -> {
            int at = index[0]++;
            RawHttp.Answer response = send(client, request);
            statuses.merge(request.kind() + " " + response.status(), 1, Integer::sum);
            String problem = judge(response.status(), response.contentType(), response.body());
            if (problem != null) {
                failures.add("try " + at + ": " + request + " -> " + response.status() + " " + problem);
            }
            titles(response.body(), titlesByType);
        });
        // Broken escapes ('%' without two hex digits) at fixed places, with both tenants' keys, besides the ones
        // the generator puts anywhere.
        int raw = 0;
        for (String uri : List.of(
                "/api/v1/tenants/%zz",
                "/api/v1/tenants/" + victim + "/models/%",
                "/api/v1/tenants/" + victim + "/models/a%0",
                "/api/v1/tenants/" + victim + "/models/%G1",
                "/api/v1/tenants/" + victim + "/trainings?model=%zz",
                "/api/v1/tenants?limit=%g1")) {
            for (String credential : List.of(fuzzerAdmin, victimAdmin)) {
                RawHttp.Answer answer = RawHttp.get(uri, Map.of("Authorization", "Bearer " + credential));
                raw++;
                String problem = judge(answer.status(), answer.contentType(), answer.body());
                titles(answer.body(), titlesByType);
                if (answer.status() != 400 || problem != null) {
                    failures.add("raw GET " + uri + " -> " + answer.status() + " " + problem);
                }
            }
        }

        assertThat(failures)
                .as("answers to malformed requests (seed %d; statuses by kind %s)", SEED, statuses)
                .isEmpty();
        // RFC 9457, 3.1.3: a type's title is the same from occurrence to occurrence, whichever layer answered
        assertThat(titlesByType)
                .as("titles of each problem type")
                .hasSizeGreaterThan(5)
                .allSatisfy((type, titles) -> assertThat(titles).as(type).hasSize(1));
        assertThat(TRIES + raw).isGreaterThanOrEqualTo(2_000);
        assertThat(statuses.keySet())
                .as("every kind of malformation was sent")
                .anyMatch(k -> k.startsWith("path "))
                .anyMatch(k -> k.startsWith("query "))
                .anyMatch(k -> k.startsWith("body "))
                .anyMatch(k -> k.startsWith("content-type "))
                .anyMatch(k -> k.startsWith("credentials "))
                .anyMatch(k -> k.startsWith("method "));
        assertThat(TenantSnapshot.of(dataSource, blobs, victim))
                .as("victim's rows and files after the fuzzing")
                .isEqualTo(before);
    }

    /** A Java class or package name, as Jackson's and the JDK's messages quote them. */
    private static final Pattern JAVA_NAME =
            Pattern.compile("`[\\w.$]+`|\\b(?:java|jakarta|com\\.fasterxml|org\\.hibernate|io\\.tenantml)\\.[a-z]");

    /** Null when the answer is acceptable; otherwise what is wrong with it. */
    private static String judge(int status, String contentType, String body) {
        if (status >= 500) {
            return "a server error: " + abbreviated(body);
        }
        if (status < 400) {
            return null;
        }
        if (!contentType.startsWith("application/problem+json")) {
            return "a " + status + " as '" + contentType + "', not problem+json: " + abbreviated(body);
        }
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem == null || problem.path("status").asInt() != status) {
                return "a problem whose status is not " + status + ": " + abbreviated(body);
            }
            if (problem.path("detail").asText("").isBlank()) {
                return "a problem without a detail: " + abbreviated(body);
            }
            if (JAVA_NAME.matcher(problem.path("detail").asText()).find()) {
                return "a detail naming a Java type, not what the client sent: " + abbreviated(body);
            }
            return null;
        } catch (Exception e) {
            return "a problem that is not JSON: " + abbreviated(body);
        }
    }

    /** Adds the type and title of a problem body to {@code titlesByType}; other bodies are skipped. */
    private static void titles(String body, Map<String, java.util.Set<String>> titlesByType) {
        try {
            JsonNode problem = body == null ? null : JSON.readTree(body);
            if (problem != null && problem.hasNonNull("type") && problem.hasNonNull("title")) {
                titlesByType
                        .computeIfAbsent(problem.get("type").asText(), t -> new java.util.TreeSet<>())
                        .add(problem.get("title").asText());
            }
        } catch (Exception e) {
            // not JSON: judge() reports it
        }
    }

    private static String abbreviated(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    // ---- the tenants ----

    private void setUpTenants() throws Exception {
        victim = Api.uniqueTenant("fuzzvictim");
        fuzzer = Api.uniqueTenant("fuzzer");
        victimAdmin = Api.createTenant(victim);
        fuzzerAdmin = Api.createTenant(fuzzer);
        Api.createKey(victim, victimAdmin, "integration");
        blobs.put(new TenantId(victim), BlobKey.of("canary", "file.bin"), new ByteArrayInputStream(new byte[] {42}));
        Api.as(victimAdmin)
                .contentType("text/csv")
                .body("id,x,label\n1,0.5,a\n2,1.5,b\n3,2.5,a\n")
                .post("/api/v1/tenants/" + victim + "/datasets/canary/versions")
                .then()
                .statusCode(201);
        victimSamples = new LinkedHashMap<>();
        victimSamples.put("tenant", victim);
        victimSamples.put("id", firstKeyId(victim, victimAdmin));
        victimSamples.put("name", "canary");
        victimSamples.put("version", "1");
        // The fuzzing tenant's own paths name nothing that exists: a request that got through would change
        // nothing of value, and its own keys are never deleted by a valid path.
        ownSamples = new LinkedHashMap<>();
        ownSamples.put("tenant", fuzzer);
        ownSamples.put("id", "0");
        ownSamples.put("version", "1");
    }

    private static String firstKeyId(String tenant, String admin) {
        JsonPath keys =
                Api.as(admin).get("/api/v1/tenants/" + tenant + "/api-keys").jsonPath();
        // A plain list today, a page once keys are paged.
        String id = keys.get("$") instanceof List<?> ? keys.getString("[0].id") : keys.getString("items[0].id");
        assertThat(id).as("the victim's first key id").isNotBlank();
        return id;
    }

    private static List<Operation> operations() {
        JsonPath openApi = RestAssured.given()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .jsonPath();
        Map<String, Map<String, Object>> paths = openApi.getMap("paths");
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Map.Entry<String, Object> operation : path.getValue().entrySet()) {
                String method = operation.getKey().toUpperCase();
                if (!METHODS.contains(method) || !(operation.getValue() instanceof Map<?, ?> spec)) {
                    continue;
                }
                List<String> query = new ArrayList<>();
                if (spec.get("parameters") instanceof List<?> parameters) {
                    for (Object parameter : parameters) {
                        if (parameter instanceof Map<?, ?> p && "query".equals(p.get("in"))) {
                            query.add(String.valueOf(p.get("name")));
                        }
                    }
                }
                operations.add(new Operation(method, path.getKey(), query));
            }
        }
        return operations;
    }

    // ---- the requests ----

    private Gen<Request> requests(List<Operation> operations) {
        Gen<Operation> operation = Gen.of(operations);
        Gen<Target> target = Gen.frequency(
                weight(5, Gen.constant(Target.OWN)),
                weight(3, Gen.constant(Target.VICTIM_AS_ANOTHER_TENANT)),
                weight(2, Gen.constant(Target.VICTIM_INVALID)));
        Gen<String> badSegment = badSegments();
        Gen<String> badQueryValue = badQueryValues();
        Gen<String> badBody = badBodies();
        Gen<String[]> contentType = contentTypes();
        Gen<String> badCredential = badCredentials();
        Gen<String> kind = Gen.frequency(
                weight(3, Gen.constant("path")),
                weight(2, Gen.constant("query")),
                weight(3, Gen.constant("body")),
                weight(1, Gen.constant("content-type")),
                weight(1, Gen.constant("credentials")),
                weight(1, Gen.constant("method")));
        Gen<Integer> picks = Gen.ints(0, 1_000);
        return random -> {
            Operation op = operation.next(random);
            String k = kind.next(random);
            Target t = target.next(random);
            if (t == Target.VICTIM_INVALID && (!k.equals("path") || !op.path().contains("{"))) {
                // With the victim's own key only what cannot be valid: a path parameter starting with NUL.
                // (Invalid JSON is no such thing: an upload may read it as CSV, a command may ignore its body.)
                t = Target.VICTIM_AS_ANOTHER_TENANT;
            }
            Map<String, String> samples = t == Target.OWN ? ownSamples : victimSamples;
            String credential = "Bearer " + (t == Target.VICTIM_INVALID ? victimAdmin : fuzzerAdmin);
            String method = op.method();
            List<String> names = parameterNames(op.path());
            Map<String, String> values = new LinkedHashMap<>();
            for (String name : names) {
                values.put(name, encode(samples.getOrDefault(name, "sample")));
            }
            StringBuilder query = new StringBuilder();
            Map<String, String> headers = new LinkedHashMap<>();
            String body = bodyMethod(method) ? "{}" : null;
            headers.put("Content-Type", "application/json");
            switch (k) {
                case "path" -> {
                    if (names.isEmpty()) {
                        query.append("limit=").append(badQueryValue.next(random));
                        k = "query";
                    } else {
                        String name = names.get(picks.next(random) % names.size());
                        String segment = badSegment.next(random);
                        if (t == Target.VICTIM_INVALID) {
                            segment = "%00" + segment;
                        }
                        values.put(name, segment);
                    }
                }
                case "query" -> {
                    List<String> known = new ArrayList<>(op.queryParameters());
                    known.addAll(List.of("limit", "cursor", "model", "version"));
                    int n = 1 + picks.next(random) % 3;
                    for (int i = 0; i < n; i++) {
                        query.append(query.isEmpty() ? "" : "&")
                                .append(known.get(picks.next(random) % known.size()))
                                .append('=')
                                .append(badQueryValue.next(random));
                    }
                }
                case "body" -> {
                    if (!bodyMethod(method)) {
                        method = picks.next(random) % 2 == 0 ? "POST" : method;
                    }
                    body = badBody.next(random);
                }
                case "content-type" -> {
                    String[] type = contentType.next(random);
                    headers.remove("Content-Type");
                    if (type[0] != null) {
                        headers.put(type[0], type[1]);
                    }
                    if (!bodyMethod(method)) {
                        body = "{}";
                    }
                }
                case "credentials" -> credential = badCredential.next(random);
                case "method" -> {
                    Set<String> declared = declaredMethods(operations, op.path());
                    List<String> others =
                            METHODS.stream().filter(m -> !declared.contains(m)).toList();
                    if (others.isEmpty()) {
                        credential = badCredential.next(random);
                        k = "credentials";
                    } else {
                        method = others.get(picks.next(random) % others.size());
                    }
                }
                default -> throw new IllegalStateException(k);
            }
            if (credential != null) {
                headers.put("Authorization", credential.isEmpty() ? "" : credential);
            }
            String path = fill(op.path(), values);
            String pathAndQuery = query.isEmpty() ? path : path + "?" + query;
            return new Request(k, t, method, pathAndQuery, headers, body);
        };
    }

    private static boolean bodyMethod(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    private static Set<String> declaredMethods(List<Operation> operations, String path) {
        Set<String> declared = new java.util.HashSet<>();
        for (Operation op : operations) {
            if (op.path().equals(path)) {
                declared.add(op.method());
            }
        }
        return declared;
    }

    /** Path segments no operation can use, already percent-encoded. */
    private static Gen<String> badSegments() {
        return Gen.oneOf(
                Gen.of(
                        "%00",
                        "a%00",
                        "%00a",
                        "..",
                        "%2E%2E",
                        "%2F",
                        "a%2Fb",
                        "%20",
                        "%09",
                        "%0A",
                        "%7F",
                        "%FF",
                        "%C3%28",
                        "%zz",
                        "%",
                        "a%",
                        "%G1",
                        "%0",
                        "%%41",
                        "%u0041",
                        "-",
                        "_",
                        "A",
                        "%E2%80%AE",
                        "%EF%BF%BF",
                        "0",
                        "-1",
                        "99999999999999999999",
                        "null"),
                Gen.strings(Gen.controlChars(), 1, 4).map(ApiFuzzTest::encode),
                Gen.strings(Gen.unicode(), 1, 12).map(ApiFuzzTest::encode),
                Gen.strings(Gen.printableAscii(), 1, 20).map(ApiFuzzTest::encode),
                Gen.ints(65, 2_000).map(n -> "a".repeat(n)),
                Gen.constant("b".repeat(9_000)));
    }

    /** Query values of the wrong type or form, already percent-encoded. */
    private static Gen<String> badQueryValues() {
        return Gen.oneOf(
                Gen.of(
                        "%00",
                        "a%00b",
                        "",
                        "-1",
                        "0",
                        "1001",
                        "abc",
                        "1e999",
                        "NaN",
                        "99999999999999999999",
                        "%FF",
                        "%zz",
                        "%",
                        "1%",
                        "%g1",
                        "%%",
                        "true",
                        "%22%22",
                        "%5B%5D",
                        "%7B%7D",
                        "a".repeat(5_000)),
                Gen.strings(Gen.controlChars(), 1, 3).map(ApiFuzzTest::encode),
                Gen.strings(Gen.unicode(), 0, 10).map(ApiFuzzTest::encode),
                Gen.strings(Gen.printableAscii(), 0, 30).map(ApiFuzzTest::encode),
                Gen.longs().map(String::valueOf));
    }

    /** Bodies of the wrong shape for any operation, or not JSON at all. */
    private static Gen<String> badBodies() {
        return Gen.frequency(
                weight(4, Gen.jsonValues(3)),
                weight(3, Gen.invalidJson()),
                weight(1, Gen.of(Gen.deepJson(2_000, true), Gen.deepJson(2_000, false), Gen.deepJson(60, false))),
                weight(
                        1,
                        Gen.of(
                                "[]",
                                "[{}]",
                                "\"\"",
                                "\"name\"",
                                "0",
                                "-1",
                                "1e999",
                                "null",
                                "true",
                                "{\"name\":null}",
                                "{\"name\":[]}",
                                "{\"name\":{}}",
                                "{\"name\":\"\\u0000\"}",
                                "{\"role\":\"root\"}",
                                "{\"name\":\"" + "x".repeat(10_000) + "\"}")));
    }

    /** A header name and value: wrong content types, unknown Accept, none. */
    private static Gen<String[]> contentTypes() {
        return Gen.of(
                new String[] {null, null},
                new String[] {"Content-Type", "text/plain"},
                new String[] {"Content-Type", "application/xml"},
                new String[] {"Content-Type", "multipart/form-data"},
                new String[] {"Content-Type", "application/x-www-form-urlencoded"},
                new String[] {"Content-Type", "garbage"},
                new String[] {"Content-Type", "application/json; charset=nonsense"},
                new String[] {"Content-Type", "application/octet-stream"},
                new String[] {"Content-Type", "text/csv"},
                new String[] {"Accept", "text/xml"},
                new String[] {"Accept", "image/png"});
    }

    /** Authorization values that are not a credential of anyone (the empty string: no header at all). */
    private static Gen<String> badCredentials() {
        return Gen.oneOf(
                Gen.of(
                        "",
                        "Bearer",
                        "Bearer ",
                        "Basic dXNlcjpwYXNz",
                        "Bearer tml_",
                        "Bearer tml_0000",
                        "bearer x",
                        "Bearer " + "x".repeat(5_000),
                        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
                        "Bearer a.b.c"),
                Gen.strings(Gen.printableAscii(), 1, 60).map(s -> "Bearer " + s.strip()));
    }

    private static List<String> parameterNames(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher m = PARAM.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- sending ----

    /** Sends with the JDK's client, or on a raw socket when no URI class accepts the request's URI. */
    private static RawHttp.Answer send(HttpClient client, Request request) throws Exception {
        URI uri;
        try {
            uri = URI.create(base() + request.pathAndQuery());
        } catch (IllegalArgumentException brokenEscape) {
            Map<String, String> headers = new LinkedHashMap<>(request.headers());
            headers.values().removeIf(String::isEmpty);
            return RawHttp.send(request.method(), request.pathAndQuery(), headers, request.body());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(
                        request.method(),
                        request.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(request.body()));
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            if (!header.getValue().isEmpty()) {
                builder.header(header.getKey(), header.getValue());
            }
        }
        HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new RawHttp.Answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    private static String base() {
        return "http://127.0.0.1:" + RestAssured.port;
    }
}
