package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What the records the platform appended to a version are ({@link VersionProvenance#source}). Stored by its wire
 * name in the version's provenance, so a name is never renamed.
 */
public enum VersionSource {
    /** Labelled production records: feedback joined to the features the prediction log kept. */
    PREDICTION_FEEDBACK("prediction-feedback");

    private final String wireName;

    VersionSource(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static VersionSource fromWire(String value) {
        for (VersionSource v : values()) {
            if (v.wireName.equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown VersionSource '" + value + "'");
    }
}
