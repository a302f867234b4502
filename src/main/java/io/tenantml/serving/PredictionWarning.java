package io.tenantml.serving;

/**
 * Something about a record that did not stop the prediction.
 *
 * @param record index of the record in the request
 * @param kind   {@code missing-feature} (predicted with XGBoost's missing value), {@code unseen-category}
 *               (a category the model never saw: treated as missing) or {@code unknown-field} (ignored)
 */
public record PredictionWarning(int record, String field, PredictionWarningKind kind, String message) {

    public static final PredictionWarningKind MISSING = PredictionWarningKind.MISSING_FEATURE;
    public static final PredictionWarningKind UNSEEN = PredictionWarningKind.UNSEEN_CATEGORY;
    public static final PredictionWarningKind UNKNOWN = PredictionWarningKind.UNKNOWN_FIELD;
}
