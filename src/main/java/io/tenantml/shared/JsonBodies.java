package io.tenantml.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The one way a request body read as a {@link JsonNode} becomes a record: a body that is not a JSON object, a
 * value of the wrong shape or type, or a record's own validation ({@link InvalidField}) becomes the caller's 400
 * problem naming the field ({@code ""} for the body as a whole) and what is wrong with it.
 */
public final class JsonBodies {

    /** A validation failure raised while a record is built (its constructor), naming the field at fault. */
    public interface InvalidField {
        String field();

        String getMessage();
    }

    private JsonBodies() {}

    /**
     * Reads {@code body} as {@code type}.
     *
     * @param what what the body is, for messages ("model spec")
     * @param invalid the caller's problem for a field ({@code ""}: the whole body) and a detail
     */
    public static <T> T read(
            ObjectMapper json,
            JsonNode body,
            Class<T> type,
            String what,
            BiFunction<String, String, ProblemException> invalid) {
        if (body == null || !body.isObject()) {
            throw invalid.apply("", "the body must be a JSON object with the " + what);
        }
        try {
            return json.treeToValue(body, type);
        } catch (JsonMappingException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (cause instanceof InvalidField field) {
                    throw invalid.apply(field.field(), field.getMessage());
                }
            }
            String field = fieldPath(e);
            throw invalid.apply(field, "invalid value for '" + field + "': " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw invalid.apply("", "invalid " + what + ": " + e.getOriginalMessage());
        }
    }

    /** The JSON path of a mapping failure, as a client writes it: {@code params.numRounds}, {@code records[2]}. */
    public static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }
}
