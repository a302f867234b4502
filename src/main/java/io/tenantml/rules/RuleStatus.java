package io.tenantml.rules;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether a rule has an open episode ({@code firing}) or not ({@code clear}). */
public enum RuleStatus {
    FIRING,
    CLEAR;

    /** As the API and the database write it: lower case. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RuleStatus fromWire(String value) {
        for (RuleStatus v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown RuleStatus '" + value + "'");
    }
}
