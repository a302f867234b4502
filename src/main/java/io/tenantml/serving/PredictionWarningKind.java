package io.tenantml.serving;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a prediction warning is about. */
public enum PredictionWarningKind {
    /** A feature was absent or null: predicted with XGBoost's missing value. */
    MISSING_FEATURE,
    /** A category the model never saw: treated as missing. */
    UNSEEN_CATEGORY,
    /** A field the model does not use: ignored. */
    UNKNOWN_FIELD;

    /** As the API and the database write it: lower case, words joined by hyphens. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static PredictionWarningKind fromWire(String value) {
        for (PredictionWarningKind v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown predictionWarningKind '" + value + "'");
    }
}
