package io.tenantml.usage;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What usage and cost figures may be grouped by ({@code groupBy=a,b}). Meter is always a group: units differ. */
@Schema(enumeration = {"tenant", "meter", "model", "version", "day", "month"})
public enum UsageGrouping {
    TENANT,
    METER,
    /** The model a fact belongs to (empty for facts of no model: ingestion, storage). */
    MODEL,
    /** The model version (implies model). */
    VERSION,
    /** UTC day, {@code YYYY-MM-DD}. */
    DAY,
    /** UTC month, {@code YYYY-MM}. */
    MONTH;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Null for an unknown name. */
    public static UsageGrouping find(String value) {
        for (UsageGrouping g : values()) {
            if (g.wireName().equals(value)) {
                return g;
            }
        }
        return null;
    }
}
