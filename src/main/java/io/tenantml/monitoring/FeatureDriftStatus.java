package io.tenantml.monitoring;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A feature's (or a whole window's) drift verdict. */
public enum FeatureDriftStatus {
    /** No significant difference of a size that matters. */
    OK,
    /** A significant difference, of moderate size: watch it. */
    WARNING,
    /** A significant difference at least as large as the model's drift threshold. */
    DRIFT,
    /** Too few values in the window or the reference to say either way. */
    INSUFFICIENT_DATA;

    /** On the wire in lower case with hyphens ({@code insufficient-data}), like every enum of the API. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
