package io.tenantml.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether a model version passed its gate. */
public enum VersionStatus {
    /** Passed the gate; an alias may point at it. */
    ACCEPTED,
    /** Failed the gate; kept for the record, never served by an alias. */
    REJECTED;

    /** As the API and the database write it: lower case, words joined by hyphens. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static VersionStatus fromWire(String value) {
        for (VersionStatus v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown versionStatus '" + value + "'");
    }
}
