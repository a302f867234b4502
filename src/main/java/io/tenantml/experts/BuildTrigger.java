package io.tenantml.experts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What started a build. */
public enum BuildTrigger {
    API,
    SCHEDULE,
    /** The first build of a recommender declared in a tenant manifest. */
    MANIFEST;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
