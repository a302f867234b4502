package io.tenantml.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The kinds of {@link TrainingWarning}. */
public enum TrainingWarningKind {
    /** A feature alone predicts the target almost perfectly: probably derived from it (see {@code training.LeakageCheck}). */
    LIKELY_LEAKAGE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static TrainingWarningKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
