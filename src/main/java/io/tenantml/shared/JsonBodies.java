package io.tenantml.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
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
            throw invalid.apply(fieldPath(e), describe(e));
        } catch (JsonProcessingException e) {
            throw invalid.apply("", "invalid " + what + ": " + describeSyntax(e));
        }
    }

    /**
     * The JSON path of a mapping failure, as a client writes it: {@code params.numRounds}, {@code records[2]}. When
     * a record refused its value naming one of its own fields ({@link InvalidValue}), that field under the record's
     * path: {@code policy.maxInvalidRowFraction}, not {@code policy}.
     */
    public static String fieldPath(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        if (e.getCause() instanceof InvalidValue refused) {
            return path.isEmpty() ? refused.field() : path + "." + refused.field();
        }
        return path;
    }

    /**
     * What a record's constructor throws to refuse the value of one of its own fields, named relative to the
     * record: wherever the record sits in a body, the problem names the field under its path.
     */
    public static class InvalidValue extends IllegalArgumentException implements InvalidField {
        private final String field;

        public InvalidValue(String field, String message) {
            super(message);
            this.field = field;
        }

        @Override
        public String field() {
            return field;
        }
    }

    /**
     * What is wrong with a value that did not map, in JSON's words and naming its field: never Jackson's own text,
     * which names Java types ({@code `java.lang.Double`}, {@code `io.tenantml.shared.Role`}) a client knows nothing
     * of. A value a record refused ({@link IllegalArgumentException} in its constructor or factory) is described by
     * that refusal's message, which is written for the client.
     */
    public static String describe(JsonMappingException e) {
        return describe(e, "");
    }

    /** As {@link #describe(JsonMappingException)}, with {@code where} (" at line 1, column 9") after the subject. */
    public static String describe(JsonMappingException e, String where) {
        String field = fieldPath(e);
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + field + "'" + where + knownFields(unknown);
        }
        return describeValue(e, field) + where;
    }

    private static String describeValue(JsonMappingException e, String field) {
        String subject = field.isEmpty() ? "The body" : "Field '" + field + "'";
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException refused) {
            return subject + " has an invalid value: " + refused.getMessage();
        }
        if (e instanceof InvalidFormatException format) {
            if (format.getTargetType() != null && format.getTargetType().isEnum()) {
                java.util.regex.Matcher accepted = ENUM_VALUES.matcher(String.valueOf(e.getOriginalMessage()));
                return subject + " has an unknown value " + asJson(format.getValue())
                        + (accepted.find() ? "; expected one of " + accepted.group(1) : "");
            }
            String range = format.getValue() instanceof Double whole && whole == Math.rint(whole)
                    ? integerRange(format.getTargetType())
                    : "";
            // a whole number in exponent form (1e30) is an integer, only out of the field's range
            return subject + " must be " + shapeOf(format.getTargetType()) + range + ", was "
                    + asJson(format.getValue());
        }
        if (e instanceof MismatchedInputException mismatch) {
            String was = sent(mismatch);
            return (field.isEmpty()
                            ? "The body has the wrong shape: expected " + shapeOf(mismatch.getTargetType())
                            : subject + " has the wrong type: expected " + shapeOf(mismatch.getTargetType()))
                    + (was == null ? "" : ", was " + was);
        }
        if (e.getCause() instanceof JsonProcessingException unread && unread != e) {
            // the parser's own refusal, under the field it was reading (a number out of an integer's range)
            return subject + ": " + describeSyntax(unread);
        }
        return subject + " has an invalid value";
    }

    private static final Set<Class<?>> INTEGERS = Set.of(
            int.class,
            long.class,
            short.class,
            byte.class,
            Integer.class,
            Long.class,
            Short.class,
            Byte.class,
            BigInteger.class);

    /** " from MIN to MAX" of a bounded integer type, else "". */
    private static String integerRange(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == long.class || type == Long.class) {
            return " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == short.class || type == Short.class) {
            return " from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE;
        }
        if (type == byte.class || type == Byte.class) {
            return " from " + Byte.MIN_VALUE + " to " + Byte.MAX_VALUE;
        }
        return "";
    }

    /** What JSON a target type reads, in JSON's words. */
    /** Jackson's naming of the token a mismatch stopped at: "(token `JsonToken.START_OBJECT`)". */
    private static final Pattern TOKEN = Pattern.compile("token `JsonToken\\.([A-Z_]+)`");

    /**
     * The JSON type of what was sent where a mismatch stopped ("an object" where an array belongs), from the token
     * the parser stood on; null when that is not known.
     */
    private static String sent(MismatchedInputException e) {
        com.fasterxml.jackson.core.JsonToken token =
                e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser ? parser.currentToken() : null;
        if (token == null) {
            // a parser closed by the time the exception is read has let go of its token; Jackson's message names it
            java.util.regex.Matcher named = TOKEN.matcher(String.valueOf(e.getOriginalMessage()));
            token = named.find()
                    ? java.util.Arrays.stream(com.fasterxml.jackson.core.JsonToken.values())
                            .filter(t -> t.name().equals(named.group(1)))
                            .findFirst()
                            .orElse(null)
                    : null;
        }
        if (token == null) {
            return null;
        }
        return switch (token) {
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }

    static String shapeOf(Class<?> type) {
        if (type == null) {
            return "another JSON type";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (INTEGERS.contains(type)) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == LocalDate.class) {
            return "an ISO 8601 date (2024-01-31)";
        }
        if (type == Duration.class) {
            return "an ISO 8601 duration (PT1H)";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO 8601 timestamp (2024-01-31T10:00:00Z)";
        }
        if (type == String.class || type.isEnum() || CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        return "a JSON object";
    }

    /** Most field names listed beside an unknown one: a misspelling is usually near one of few names. */
    private static final int MAX_KNOWN_FIELDS = 40;

    /** The names the object takes, sorted, so that a misspelt field is answered with its right spelling. */
    private static String knownFields(UnrecognizedPropertyException e) {
        if (e.getKnownPropertyIds() == null || e.getKnownPropertyIds().isEmpty()) {
            return "";
        }
        List<String> names =
                e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        return "; the fields here are " + Texts.listed(names, MAX_KNOWN_FIELDS);
    }

    /** The names an enum accepts, as Jackson lists them after a refused one. */
    private static final Pattern ENUM_VALUES = Pattern.compile("values accepted for Enum class: \\[([^\\]]*)\\]");

    /** How much of a refused string a detail quotes. */
    private static final int MAX_QUOTED_CHARS = 100;

    /** A refused scalar as the client wrote it: strings quoted, numbers and booleans bare. */
    private static String asJson(Object value) {
        return value instanceof String text ? "\"" + Texts.cut(text, MAX_QUOTED_CHARS) + "\"" : String.valueOf(value);
    }

    /** Jackson's description of the input it read: "(start marker at [Source: REDACTED (...); line: 1, ...])". */
    private static final Pattern SOURCE = Pattern.compile("\\s*\\([^\\[()]*\\[Source: .*?\\]\\)");

    /** Jackson's hint at its own switch: ": enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow". */
    private static final Pattern SWITCH_HINT = Pattern.compile(":?\\s*enable `[^`]+` to allow");

    /** Jackson's name of the limit a body broke: "(1000, from `StreamReadConstraints.getMaxNestingDepth()`)". */
    private static final Pattern LIMIT_SOURCE = Pattern.compile(",\\s*from `[^`]+`");

    /** A Java type Jackson quotes, kept as its simple name: "`java.lang.Integer`" is "Integer". */
    private static final Pattern QUOTED_TYPE = Pattern.compile("`(?:[\\w$]+\\.)*([\\w$]+)`");

    /**
     * What is wrong with a body that is not JSON or breaks a parser limit: Jackson's words less what names its
     * internals (the source it read, the switches that would allow the input, Java types); for a value that did
     * not map, {@link #describe(JsonMappingException)}.
     */
    public static String describeSyntax(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping) {
            return describe(mapping);
        }
        String text = String.valueOf(e.getOriginalMessage());
        text = SOURCE.matcher(text).replaceAll("");
        text = SWITCH_HINT.matcher(text).replaceAll("");
        text = LIMIT_SOURCE.matcher(text).replaceAll("");
        return QUOTED_TYPE.matcher(text).replaceAll("$1");
    }
}
