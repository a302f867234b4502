package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The outcome of validating an upload. */
public enum ValidationStatus {
    /** Nothing above info. */
    PASSED,
    /** Stored, with warnings to look at. */
    WARNINGS,
    /** Refused by the dataset's policy. */
    FAILED;

    /** As the API and the database write it: lower case, words joined by hyphens. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static ValidationStatus fromWire(String value) {
        for (ValidationStatus v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown validationStatus '" + value + "'");
    }
}
