package io.tenantml.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a paged list endpoint ({@code {"items", "next"}}, see {@code shared.Page}) to its end: asks for the first
 * page, passes each {@code next} back as {@code cursor}, and returns every item in order. Fails when a page is
 * not a 200 page, is longer than the limit, or when an item comes twice (compared as whole JSON objects).
 */
public final class Pages {

    /** No list in a test is longer than this many pages; past it the walk is taken to loop. */
    private static final int MAX_PAGES = 10_000;

    private Pages() {}

    /**
     * Every item of the list at {@code path} (no query string), asked in pages of {@code limit}, with
     * {@code spec}'s credential (e.g. {@code Api.as(key)}).
     */
    public static List<Map<String, Object>> walk(RequestSpecification spec, String path, int limit) {
        List<Map<String, Object>> all = new ArrayList<>();
        Set<Map<String, Object>> seen = new LinkedHashSet<>();
        String cursor = null;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            JsonPath page = page(spec, path, limit, cursor);
            List<Map<String, Object>> items = page.getList("items");
            assertThat(items).as("items of page %d of %s", pages + 1, path).isNotNull();
            assertThat(items.size()).as("page %d of %s", pages + 1, path).isLessThanOrEqualTo(limit);
            for (Map<String, Object> item : items) {
                assertThat(seen.add(item))
                        .as("item seen twice walking %s: %s", path, item)
                        .isTrue();
                all.add(item);
            }
            cursor = page.getString("next");
            if (cursor == null) {
                return all;
            }
            assertThat(items)
                    .as("a page with a next cursor has items (%s)", path)
                    .isNotEmpty();
        }
        throw new AssertionError("more than " + MAX_PAGES + " pages walking " + path);
    }

    /**
     * One page as JSON; asserts a 200. {@code cursor} may be null (the first page). Each page is asked with a copy
     * of {@code spec}: a REST Assured specification keeps the query parameters of a request it sent.
     */
    public static JsonPath page(RequestSpecification spec, String path, int limit, String cursor) {
        // A cursor is base64url: nothing in it needs escaping.
        Response response = RestAssured.given()
                .spec(spec)
                .get(path + "?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor));
        assertThat(response.statusCode())
                .as(
                        "GET %s?limit=%d%s: %s",
                        path, limit, cursor == null ? "" : "&cursor=" + cursor, response.asString())
                .isEqualTo(200);
        return response.jsonPath();
    }
}
