package io.tenantml.feature;

import io.tenantml.dataset.CellCheck;
import java.util.Objects;

/**
 * A record value that ingestion would refuse in the input's column (a string where a number belongs, a
 * number outside the declared range): online scoring refuses it the same way, naming the field and the
 * check.
 */
public class InvalidFeatureValueException extends IllegalArgumentException {

    private final String field;
    private final CellCheck check;

    public InvalidFeatureValueException(String field, CellCheck check, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
        this.check = Objects.requireNonNull(check, "check");
    }

    /** The input column that held the value. */
    public String field() {
        return field;
    }

    /** The check the value failed, named as in ingestion's quarantine reasons. */
    public CellCheck check() {
        return check;
    }
}
