package io.tenantml;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantml.shared.PageRequest;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.Pages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every list endpoint pages the same way (shared.Page, shared.PageRequest): {@code limit} and an opaque
 * {@code cursor} in, {@code {"items", "next"}} out, in a stable order, each item exactly once. The lists with
 * malformed parameters are discovered from OpenAPI, so a new list is checked without anyone remembering it.
 */
@QuarkusTest
class ListPagingResourceTest {

    private static final Pattern PARAM = Pattern.compile("\\{([^}/]+)}");

    private static final Map<String, Object> PENGUINS = Fixtures.penguinsSpecies(5, 7);

    @Test
    void shouldWalkTenantsInIdOrderEachExactlyOnce() {
        String stem = Api.uniqueTenant("pg");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(stem + "-" + i);
            Api.createTenant(stem + "-" + i);
        }
        List<String> ids = ids(Pages.walk(Api.asOperator(), "/api/v1/tenants", 3), "id");
        assertThat(ids).containsAll(mine).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(ids(Pages.walk(Api.asOperator(), "/api/v1/tenants", 1000), "id"))
                .as("the same list in pages of 1000")
                .containsExactlyElementsOf(ids);
    }

    @Test
    void shouldSeeEachKeyOnceInCreationOrderWhileKeysAreAdded() {
        String tenant = Api.uniqueTenant("keypages");
        String admin = Api.createTenant(tenant);
        for (int i = 0; i < 6; i++) {
            Api.createKey(tenant, admin, i % 2 == 0 ? "integration" : "admin");
        }
        String path = "/api/v1/tenants/" + tenant + "/api-keys";
        List<String> before = ids(Pages.walk(Api.as(admin), path, 1000), "id");
        assertThat(before).hasSize(7);

        // Walk in pages of 2, issuing a key after every page: every key that existed is seen exactly once, in
        // the order of the full list, and the keys added meanwhile come after them.
        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = Pages.page(Api.as(admin), path, 2, cursor);
            walked.addAll(page.getList("items.id"));
            cursor = page.getString("next");
            Api.createKey(tenant, admin, "integration");
            pages++;
        } while (cursor != null && pages < 50);
        assertThat(walked).doesNotHaveDuplicates().startsWith(before.toArray(String[]::new));
        assertThat(walked).hasSizeGreaterThan(before.size());
        assertThat(ids(Pages.walk(Api.as(admin), path, 3), "id"))
                .as("a fresh walk sees every key, old and new, in the same order")
                .startsWith(walked.toArray(String[]::new));
    }

    @Test
    void shouldWalkDatasetsByNameAndVersionsByNumber() {
        String tenant = Api.uniqueTenant("dspages");
        String admin = Api.createTenant(tenant);
        for (String name : List.of("e", "a", "d", "b", "c")) {
            Fixtures.upload(tenant, admin, name, "text/csv", csv(name)).then().statusCode(201);
        }
        for (int i = 2; i <= 5; i++) {
            Fixtures.upload(tenant, admin, "c", "text/csv", csv("c" + i)).then().statusCode(201);
        }
        String datasets = Fixtures.base(tenant) + "/datasets";
        assertThat(ids(Pages.walk(Api.as(admin), datasets, 2), "name")).containsExactly("a", "b", "c", "d", "e");
        assertThat(Pages.walk(Api.as(admin), datasets + "/c/versions", 2))
                .extracting(v -> v.get("version"))
                .containsExactly(1, 2, 3, 4, 5);
        assertThat(Pages.walk(Api.as(admin), datasets + "/a/versions", 2))
                .extracting(v -> v.get("version"))
                .containsExactly(1);
        Api.as(admin)
                .get(datasets + "/c")
                .then()
                .statusCode(200)
                .body("versionCount", org.hamcrest.Matchers.equalTo(5))
                .body("latestVersion.version", org.hamcrest.Matchers.equalTo(5));
        // A cursor stays valid while datasets are added: new names after it show up, none twice.
        String next = Pages.page(Api.as(admin), datasets, 2, null).getString("next");
        Fixtures.upload(tenant, admin, "aa", "text/csv", csv("aa")).then().statusCode(201);
        Fixtures.upload(tenant, admin, "f", "text/csv", csv("f")).then().statusCode(201);
        List<String> rest = new ArrayList<>();
        while (next != null) {
            JsonPath page = Pages.page(Api.as(admin), datasets, 2, next);
            rest.addAll(page.getList("items.name"));
            next = page.getString("next");
        }
        assertThat(rest).containsExactly("c", "d", "e", "f");
    }

    @Test
    void shouldWalkModelsVersionsAliasesAndAliasHistory() {
        String tenant = Api.uniqueTenant("mpages");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        for (String name : List.of("m-c", "m-a", "m-b")) {
            Fixtures.defineModel(tenant, admin, name, PENGUINS, true);
        }
        String models = Fixtures.base(tenant) + "/models";
        assertThat(ids(Pages.walk(Api.as(admin), models, 2), "name")).containsExactly("m-a", "m-b", "m-c");

        int first = Fixtures.train(tenant, admin, "m-a");
        int second = Fixtures.train(tenant, admin, "m-a");
        assertThat(Pages.walk(Api.as(admin), models + "/m-a/versions", 1))
                .extracting(v -> v.get("version"))
                .containsExactly(first, second);
        for (String alias : List.of("zeta", "beta", "alpha")) {
            Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("version", first, "reason", "paging " + alias))
                    .put(models + "/m-a/aliases/" + alias)
                    .then()
                    .statusCode(200);
        }
        assertThat(ids(Pages.walk(Api.as(admin), models + "/m-a/aliases", 2), "alias"))
                .containsSubsequence("alpha", "beta", "production", "zeta")
                .isSortedAccordingTo(Comparator.naturalOrder());
        List<Map<String, Object>> history = Pages.walk(Api.as(admin), models + "/m-a/alias-history", 2);
        assertThat(history)
                .extracting(e -> e.get("reason"))
                .containsSubsequence("paging zeta", "paging beta", "paging alpha");
        assertThat(history).extracting(e -> (String) e.get("at")).isSortedAccordingTo(Comparator.naturalOrder());
    }

    /**
     * Walks {@code path} in pages of {@code limit} and checks each page against the whole list (asked in one page):
     * every item exactly once and in order (by its {@code id} field: a key's lastUsedAt moves as it is used), a
     * {@code next} cursor on every page but the last, and no empty last page (a list of n items takes
     * ceil(n / limit) pages). A list that fetched {@code limit} rows instead of {@code limit + 1} would stop after
     * its first page. (Panache's {@code range(first, last)} is inclusive: {@code range(0, page.limit())}, as the
     * registry, API keys, models and tenants write it, fetches {@code limit + 1} rows, like
     * {@code range(0, page.fetchSize() - 1)} elsewhere.)
     */
    private static void assertWalksInPagesOf(String key, String path, String id, int limit, int atLeast) {
        List<Object> whole = Pages.walk(Api.as(key), path, 1000).stream()
                .map(item -> item.get(id))
                .toList();
        assertThat(whole).as("%s, in one page", path).hasSizeGreaterThanOrEqualTo(atLeast);
        assertThat(whole.size()).as("more items than one page of %s", path).isGreaterThan(limit);
        List<Object> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = Pages.page(Api.as(key), path, limit, cursor);
            List<Object> items = page.getList("items." + id);
            cursor = page.getString("next");
            pages++;
            assertThat(items)
                    .as("page %d of %s (next %s)", pages, path, cursor)
                    .hasSize(cursor == null ? whole.size() - walked.size() : limit);
            walked.addAll(items);
        } while (cursor != null && pages <= whole.size());
        assertThat(walked).as("%s in pages of %d", path, limit).containsExactlyElementsOf(whole);
        assertThat(pages).as("pages of %s", path).isEqualTo((whole.size() + limit - 1) / limit);
    }

    @Test
    void shouldSetANextCursorUntilTheLastItemOnVersionsAliasesKeysAndModels() {
        String tenant = Api.uniqueTenant("nextpages");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        for (String name : List.of("m-5", "m-1", "m-4", "m-2")) {
            Fixtures.defineModel(tenant, admin, name, PENGUINS, true);
        }
        String models = Fixtures.base(tenant) + "/models";
        for (int i = 0; i < 5; i++) {
            Fixtures.train(tenant, admin, "m-1");
        }
        for (String alias : List.of("d", "b", "a", "c")) {
            Api.as(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("version", 1, "reason", "paging " + alias))
                    .put(models + "/m-1/aliases/" + alias)
                    .then()
                    .statusCode(200);
        }
        for (int i = 0; i < 4; i++) {
            Api.createKey(tenant, admin, i % 2 == 0 ? "integration" : "admin");
        }
        // 5 versions, 5 aliases (production and four), 5 keys (the first admin key and four), 4 models
        assertWalksInPagesOf(admin, models + "/m-1/versions", "version", 2, 5);
        assertWalksInPagesOf(admin, models + "/m-1/aliases", "alias", 2, 5);
        assertWalksInPagesOf(admin, models + "/m-1/alias-history", "id", 2, 5);
        assertWalksInPagesOf(admin, Fixtures.base(tenant) + "/api-keys", "id", 2, 5);
        assertWalksInPagesOf(admin, models, "name", 2, 4);
        assertWalksInPagesOf(admin, models, "name", 3, 4);
    }

    @Test
    void shouldRefuseBadLimitsAndCursorsOnEveryListNamingTheParameter() {
        String tenant = Api.uniqueTenant("badpage");
        String admin = Api.createTenant(tenant);
        Fixtures.upload(tenant, admin, "d", "text/csv", csv("d")).then().statusCode(201);
        Map<String, String> samples = Map.of("tenant", tenant, "name", "d", "model", "m");
        String otherList = PageRequest.cursor("no-such-list", List.of("x"));
        String forged = PageRequest.cursor("model-versions", List.of("not-a-number"));

        Set<String> lists = pagedOperations();
        assertThat(lists)
                .contains(
                        "GET /api/v1/tenants",
                        "GET /api/v1/tenants/{tenant}/api-keys",
                        "GET /api/v1/tenants/{tenant}/datasets",
                        "GET /api/v1/tenants/{tenant}/datasets/{name}/versions",
                        "GET /api/v1/tenants/{tenant}/models",
                        "GET /api/v1/tenants/{tenant}/models/{model}/versions",
                        "GET /api/v1/tenants/{tenant}/models/{model}/aliases",
                        "GET /api/v1/tenants/{tenant}/models/{model}/alias-history");
        List<String> failures = new ArrayList<>();
        for (String operation : lists) {
            String path = fill(operation.substring("GET ".length()), samples);
            if (path.endsWith("/integrations")) {
                // without Keycloak provisioning (this profile) the list answers its feature's 404 before any parameter
                continue;
            }
            for (String limit : List.of("0", "1001", "-1", "ten", "1.5", "99999999999")) {
                expectBadPage(failures, path + "?limit=" + limit, "limit");
            }
            for (String cursor : List.of("garbage!", otherList, "x".repeat(3000))) {
                expectBadPage(failures, path + "?cursor=" + cursor, "cursor");
            }
        }
        expectBadPage(failures, Fixtures.base(tenant) + "/models/m/versions?cursor=" + forged, "cursor");
        assertThat(failures).isEmpty();
    }

    @Test
    void shouldNeverShowAnotherTenantsItemsThroughItsCursor() {
        String a = Api.uniqueTenant("cura");
        String b = Api.uniqueTenant("curb");
        String adminA = Api.createTenant(a);
        String adminB = Api.createTenant(b);
        for (String name : List.of("a1", "a2", "a3", "a4")) {
            Fixtures.upload(a, adminA, name, "text/csv", csv(name)).then().statusCode(201);
        }
        for (String name : List.of("b1", "b2", "b3")) {
            Fixtures.upload(b, adminB, name, "text/csv", csv(name)).then().statusCode(201);
        }
        Fixtures.upload(a, adminA, "shared", "text/csv", csv("s1")).then().statusCode(201);
        Fixtures.upload(a, adminA, "shared", "text/csv", csv("s2")).then().statusCode(201);
        Fixtures.upload(a, adminA, "shared", "text/csv", csv("s3")).then().statusCode(201);
        Fixtures.upload(b, adminB, "shared", "text/csv", csv("t1")).then().statusCode(201);
        Api.createKey(a, adminA, "integration");
        Api.createKey(a, adminA, "integration");

        for (String list : List.of("/datasets", "/datasets/shared/versions", "/api-keys")) {
            String cursorOfA =
                    Pages.page(Api.as(adminA), Fixtures.base(a) + list, 1, null).getString("next");
            assertThat(cursorOfA).as(list).isNotNull();
            Response answer = Api.as(adminB).get(Fixtures.base(b) + list + "?limit=1000&cursor=" + cursorOfA);
            if (answer.statusCode() == 400) {
                assertThat(answer.<String>path("parameter")).isEqualTo("cursor");
                continue;
            }
            assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
            String body = answer.asString();
            assertThat(body).as(list).doesNotContain("\"a1\"", "\"a2\"", "\"a3\"", "\"a4\"");
            List<Map<String, Object>> itemsOfB = Pages.walk(Api.as(adminB), Fixtures.base(b) + list, 1000);
            assertThat(itemsOfB).as(list).containsAll(answer.jsonPath().getList("items"));
        }
        // and A's cursor on A's own path, used with B's key, is refused like any other path of A
        String cursorOfA = Pages.page(Api.as(adminA), Fixtures.base(a) + "/datasets", 1, null)
                .getString("next");
        Api.as(adminB)
                .get(Fixtures.base(a) + "/datasets?cursor=" + cursorOfA)
                .then()
                .statusCode(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDocumentEveryListAsAPageWithLimitAndCursor() {
        JsonPath openApi = RestAssured.given()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = openApi.getMap("paths");
        List<String> arrays = new ArrayList<>();
        for (var path : paths.entrySet()) {
            Map<String, Object> get = path.getValue().get("get");
            if (!path.getKey().startsWith("/api/") || get == null) {
                continue;
            }
            String operation = "GET " + path.getKey();
            Object schema = schemaOf(get);
            if (schema instanceof Map<?, ?> s && "array".equals(s.get("type"))) {
                arrays.add(operation);
            }
        }
        assertThat(arrays)
                .as("GET operations answering a bare array instead of a page")
                .isEmpty();
        for (String operation : pagedOperations()) {
            Map<String, Object> get =
                    paths.get(operation.substring("GET ".length())).get("get");
            String ref = String.valueOf(((Map<?, ?>) schemaOf(get)).get("$ref"));
            assertThat(ref).as(operation).startsWith("#/components/schemas/Page");
            Map<String, Object> schema =
                    openApi.getMap("components.schemas." + ref.substring(ref.lastIndexOf('/') + 1));
            assertThat(((Map<String, Object>) schema.get("properties")).keySet())
                    .as(operation)
                    .containsExactlyInAnyOrder("items", "next");
            List<Map<String, Object>> parameters = (List<Map<String, Object>>) get.get("parameters");
            Map<String, Object> limit = parameters.stream()
                    .filter(p -> "limit".equals(p.get("name")))
                    .findFirst()
                    .orElseThrow();
            assertThat((Map<String, Object>) limit.get("schema"))
                    .as(operation)
                    .containsEntry("type", "integer")
                    .containsEntry("default", 50)
                    .containsEntry("maximum", 1000);
            assertThat(parameters).extracting(p -> p.get("name")).as(operation).contains("cursor");
        }
    }

    /** The GET operations that take {@code limit}, as "GET path". */
    @SuppressWarnings("unchecked")
    private static Set<String> pagedOperations() {
        JsonPath openApi = RestAssured.given()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = openApi.getMap("paths");
        Set<String> out = new TreeSet<>();
        for (var path : paths.entrySet()) {
            Map<String, Object> get = path.getValue().get("get");
            if (get == null || !(get.get("parameters") instanceof List<?> parameters)) {
                continue;
            }
            if (parameters.stream().anyMatch(p -> "limit".equals(((Map<String, Object>) p).get("name")))) {
                out.add("GET " + path.getKey());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object schemaOf(Map<String, Object> operation) {
        Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
        Map<String, Object> ok = (Map<String, Object>) responses.get("200");
        if (ok == null || !(ok.get("content") instanceof Map<?, ?> content)) {
            return null;
        }
        Map<String, Object> json = (Map<String, Object>) content.get("application/json");
        return json == null ? null : json.get("schema");
    }

    private static void expectBadPage(List<String> failures, String url, String parameter) {
        Response r = Api.asOperator().get(url);
        String problem = r.contentType();
        if (r.statusCode() != 400
                || !problem.startsWith("application/problem+json")
                || !parameter.equals(r.path("parameter"))) {
            failures.add("GET " + url + " -> " + r.statusCode() + " " + r.asString());
        }
    }

    private static String fill(String template, Map<String, String> samples) {
        Matcher m = PARAM.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(samples.getOrDefault(m.group(1), "sample")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static List<String> ids(List<Map<String, Object>> items, String field) {
        return items.stream().map(i -> (String) i.get(field)).toList();
    }

    /** A small CSV whose content differs by {@code tag}, so that each upload is a version of its own. */
    private static byte[] csv(String tag) {
        return ("tag,x\n" + tag + ",1\n" + tag + ",2\n").getBytes(StandardCharsets.UTF_8);
    }
}
