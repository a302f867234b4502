package io.tenantml.experts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What started a build. */
public enum BuildTrigger {
    API,
    SCHEDULE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
