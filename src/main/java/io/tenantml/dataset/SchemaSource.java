package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a dataset's schema came from. */
public enum SchemaSource {
    /** Declared by PUT. */
    DECLARED,
    /** Inferred from the first version and frozen. */
    INFERRED;

    /** As the API and the database write it: lower case, words joined by hyphens. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static SchemaSource fromWire(String value) {
        for (SchemaSource v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown schemaSource '" + value + "'");
    }
}
