package io.tenantml.shared;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem detail. {@code type} is a stable URI per kind of problem so that clients can
 * branch on it; {@code detail} says what is wrong and where, for a human.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type, String title, int status, String detail, String instance, Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://tenantml.io/problems/";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, Map.of());
    }

    public Problem with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(extensions);
        copy.put(key, value);
        return new Problem(type, title, status, detail, instance, copy);
    }

    public Problem at(String instancePath) {
        return new Problem(type, title, status, detail, instancePath, extensions);
    }

    /** RFC 9457 §3.2: extension members sit beside the standard ones, not nested. */
    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions;
    }

    // Hidden from JSON: the any-getter already writes them flat.
    @com.fasterxml.jackson.annotation.JsonIgnore
    @Override
    public Map<String, Object> extensions() {
        return extensions;
    }
}
