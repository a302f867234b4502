package io.tenantml.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What queued a training. The {@code training} table's check constraint holds the same names: a new trigger is a
 * constant here and a migration there.
 */
public enum TrainingTrigger {
    /** {@code POST .../models/{model}/trainings}. */
    API,
    /** The model's cron schedule. */
    SCHEDULE,
    /** The first training of a model declared in a tenant manifest. */
    MANIFEST,
    /** A monitoring rule with action retrain. */
    RULE;

    /** As the API and the database write it: lower case. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TrainingTrigger fromWire(String value) {
        for (TrainingTrigger v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown TrainingTrigger '" + value + "'");
    }
}
