package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Column types and the Java type a parsed value has in a {@link DatasetRow}: NUMERIC {@link Double},
 * INTEGER {@link Long}, BOOLEAN {@link Boolean}, CATEGORICAL and TEXT {@link String}, TIMESTAMP
 * {@link java.time.Instant}; a missing value is {@code null}.
 */
public enum ColumnType {
    NUMERIC,
    INTEGER,
    BOOLEAN,
    CATEGORICAL,
    TIMESTAMP,
    TEXT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Numeric or integer: the types whose values are numbers (min/max, quantiles, a regression target). */
    public boolean isNumber() {
        return this == NUMERIC || this == INTEGER;
    }

    @JsonCreator
    public static ColumnType fromWire(String value) {
        for (ColumnType type : values()) {
            if (type.wireName().equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown column type '" + value
                + "' (expected numeric, integer, boolean, categorical, timestamp or text)");
    }
}
