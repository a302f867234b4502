package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why {@link CellParser#read} refuses a cell. The wire names are the {@code check} of ingestion's anomalies
 * and quarantine reasons, and of the 400 problem online scoring answers for the same value.
 */
public enum CellCheck {
    /** No value (absent, JSON null or a null token) in a column declared {@code nullable: false}. */
    NOT_NULL("not-null"),
    /** The value is not of the column's type. */
    TYPE("type"),
    /** A number outside the column's declared {@code min}/{@code max}. */
    RANGE("range"),
    /** A value that is not among the column's declared {@code allowedValues}. */
    ALLOWED_VALUES("allowed-values");

    private final String wireName;

    CellCheck(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
