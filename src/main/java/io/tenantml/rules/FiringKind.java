package io.tenantml.rules;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a rule did: fired (an episode began), recovered (it ended), alert (an event published), retrain (a training decided), suppressed (fired within its cooldown: no action). */
public enum FiringKind {
    FIRED,
    RECOVERED,
    ALERT,
    RETRAIN,
    SUPPRESSED;

    /** As the API and the database write it: lower case. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FiringKind fromWire(String value) {
        for (FiringKind v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown FiringKind '" + value + "'");
    }
}
