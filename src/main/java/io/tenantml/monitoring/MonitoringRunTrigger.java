package io.tenantml.monitoring;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What queued a window run, which decides how far it profiles. The {@code monitoring_run} table's check constraint
 * holds the same names.
 */
public enum MonitoringRunTrigger {
    /** {@code POST .../monitoring/run}: profiles up to the request time, closing the open hour early. */
    MANUAL,
    /** The model's hourly schedule: profiles the closed hours. */
    SCHEDULE;

    /** As the API and the database write it: lower case. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static MonitoringRunTrigger fromWire(String value) {
        for (MonitoringRunTrigger v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown MonitoringRunTrigger '" + value + "'");
    }
}
