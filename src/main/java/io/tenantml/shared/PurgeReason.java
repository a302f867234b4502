package io.tenantml.shared;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a stored version's data (a dataset version's rows, a model version's file) was purged. */
public enum PurgeReason {
    /** An admin asked for it ({@code DELETE .../versions/{v}/rows} or {@code .../artifact}). */
    REQUESTED,
    /** The dataset's or model's retention: the version fell out of its newest {@code keepVersions}. */
    RETENTION;

    /** As the API and the database write it. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PurgeReason fromWire(String value) {
        for (PurgeReason r : values()) {
            if (r.wireName().equals(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown purge reason '" + value + "'");
    }
}
