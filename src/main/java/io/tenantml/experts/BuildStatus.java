package io.tenantml.experts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A build's state. {@code succeeded}: its generation became current; {@code rejected}: evaluated and kept,
 * but worse than the current generation beyond the tolerance; {@code skipped}: a scheduled run that found no
 * new dataset version (recorded, nothing embedded).
 */
public enum BuildStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    REJECTED,
    FAILED,
    SKIPPED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BuildStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean active() {
        return this == QUEUED || this == RUNNING;
    }
}
