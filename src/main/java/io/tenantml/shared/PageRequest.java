package io.tenantml.shared;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * What a client asked of a list: at most {@code limit} items after the position a cursor names. Lists are paged
 * by keyset (the sort key of the last item seen), never by offset, so a page stays stable while rows are added
 * and a deep page costs what the first one does.
 *
 * <p>A cursor is opaque to clients: base64url of the list's name and the last item's sort-key values. It is
 * checked when decoded, so a cursor of another list, or one a client made up, is a 400 naming {@code cursor}.
 *
 * @param limit  1 to {@link #MAX_LIMIT}; {@link #DEFAULT_LIMIT} when the client gave none
 * @param cursor as the client sent it (null for the first page)
 */
public record PageRequest(int limit, String cursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;
    private static final int MAX_CURSOR_CHARS = 2048;
    private static final char SEPARATOR = '\u001f';

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badParameter(
                    "invalid-page", "limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (cursor != null && (cursor.isEmpty() || cursor.length() > MAX_CURSOR_CHARS)) {
            throw invalidCursor("cursor must be the `next` value of an earlier page");
        }
    }

    /** From query parameters as they came: null limit means the default. */
    public static PageRequest of(Integer limit, String cursor) {
        return new PageRequest(limit == null ? DEFAULT_LIMIT : limit, cursor);
    }

    /**
     * From query parameters as they came, as text: an absent or empty limit means the default; a limit that is not
     * a whole number is a 400 naming {@code limit} (JAX-RS would answer a failed conversion with a 404).
     */
    public static PageRequest parse(String limit, String cursor) {
        if (limit == null || limit.isBlank()) {
            return new PageRequest(DEFAULT_LIMIT, cursor);
        }
        int value;
        try {
            value = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badParameter(
                    "invalid-page",
                    "limit",
                    "limit must be a whole number between 1 and " + MAX_LIMIT + ", was '" + limit + "'");
        }
        return new PageRequest(value, cursor);
    }

    /**
     * Reads one sort-key value of a cursor (from {@link #after}); a value that does not parse as the list's key
     * is a 400 naming {@code cursor}, never a 500.
     */
    public static <T> T value(String text, Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (RuntimeException e) {
            throw foreignCursor();
        }
    }

    /**
     * Reads a cursor's instant. Cursors are not signed, so one can be forged; an instant outside the years the
     * database stores is not one this platform wrote (400 naming {@code cursor}).
     */
    public static Instant instant(String text) {
        return TimeParameters.instant(text).orElseThrow(PageRequest::foreignCursor);
    }

    public static PageRequest first(int limit) {
        return new PageRequest(limit, null);
    }

    /** How many rows to fetch: one more than the limit tells whether a next page exists. */
    public int fetchSize() {
        return limit + 1;
    }

    /**
     * The sort-key values of the last item of the previous page, or null for the first page.
     *
     * @param list the list's name, which the cursor must have been made for (e.g. "trainings")
     * @param arity how many values the list's sort key has
     */
    public List<String> after(String list, int arity) {
        if (cursor == null) {
            return null;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw foreignCursor();
        }
        List<String> parts = split(text);
        if (parts.size() != arity + 1 || !parts.get(0).equals(list)) {
            throw foreignCursor();
        }
        return parts.subList(1, parts.size());
    }

    /**
     * Cuts the fetched rows (up to {@link #fetchSize()}) to a page: when there are more than {@code limit}, the
     * next cursor names the sort key of the last item kept.
     */
    public <T> Page<T> page(List<T> fetched, String list, Function<T, List<String>> sortKey) {
        if (fetched.size() <= limit) {
            return Page.last(fetched);
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(items, cursor(list, sortKey.apply(items.get(items.size() - 1))));
    }

    /** Encodes a cursor for {@code list} positioned after an item with these sort-key values. */
    public static String cursor(String list, List<String> values) {
        StringBuilder text = new StringBuilder(list);
        for (String value : values) {
            if (value.indexOf(SEPARATOR) >= 0) {
                throw new IllegalArgumentException("sort-key value holds the separator: " + value);
            }
            text.append(SEPARATOR).append(value);
        }
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == SEPARATOR) {
                parts.add(text.substring(from, i));
                from = i + 1;
            }
        }
        return parts;
    }

    /** The 400 for a cursor that this list did not make (another list's, or forged). */
    public static ProblemException foreignCursor() {
        return invalidCursor("cursor is not a cursor of this list");
    }

    private static ProblemException invalidCursor(String detail) {
        return ProblemException.badParameter("invalid-page", "cursor", detail);
    }
}
