package io.tenantml.feature;

/** A record value whose type cannot be used for its feature (a string where a number belongs). */
public class InvalidFeatureValueException extends IllegalArgumentException {

    private final String field;

    public InvalidFeatureValueException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The input column that held the value. */
    public String field() {
        return field;
    }
}
