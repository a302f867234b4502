package io.tenantml.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the leakage check measures a feature's single-feature score ({@code training.LeakageCheck}). */
public enum LeakageMeasure {
    /** Out-of-sample coefficient of determination (regression). */
    R_SQUARED,
    /** Out-of-sample area under the ROC curve (binary), or the macro one-vs-rest mean (multiclass). */
    AUC;

    @JsonValue
    public String wireName() {
        return this == R_SQUARED ? "r-squared" : "auc";
    }

    @JsonCreator
    public static LeakageMeasure fromWire(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "r-squared" -> R_SQUARED;
            case "auc" -> AUC;
            default -> throw new IllegalArgumentException("unknown leakage measure '" + value + "'");
        };
    }
}
