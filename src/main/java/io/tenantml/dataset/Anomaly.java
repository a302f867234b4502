package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One finding of validation: which column, which check, how bad, how many rows, and a few examples that
 * point back at the upload. {@code column} is null for findings about whole rows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Anomaly(
        String column, String check, Severity severity, long count, String message, List<Example> examples) {

    public Anomaly {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(severity, "severity");
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /** @param line the line (CSV, NDJSON) or 1-based record index (JSON array) in the upload */
    public record Example(long line, String value) {}

    /** {@code error}: the row breaks the schema and is not stored; {@code warning}: stored, but look at it. */
    public enum Severity {
        ERROR,
        WARNING,
        INFO;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Severity fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
