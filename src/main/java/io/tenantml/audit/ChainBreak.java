package io.tenantml.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What does not match at the first broken entry of a chain. */
public enum ChainBreak {
    /** The entry was changed: its content no longer hashes to its stored hash. */
    CONTENT,
    /** Its previous hash is not its predecessor's hash. */
    LINK,
    /** Entries before it are missing. */
    GAP;

    /** As the API writes it: lower case. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ChainBreak fromWire(String value) {
        for (ChainBreak v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown ChainBreak '" + value + "'");
    }
}
