package io.tenantml.monitoring;

/** A feature's (or a whole window's) drift verdict. */
public enum FeatureDriftStatus {
    /** No significant difference of a size that matters. */
    OK,
    /** A significant difference, of moderate size: watch it. */
    WARNING,
    /** A significant difference at least as large as the model's drift threshold. */
    DRIFT,
    /** Too few values in the window or the reference to say either way. */
    INSUFFICIENT_DATA
}
