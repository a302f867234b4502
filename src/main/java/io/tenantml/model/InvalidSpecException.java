package io.tenantml.model;

/** A model spec value that is wrong; {@link #field()} is its JSON path, such as {@code params.eta}. */
public class InvalidSpecException extends IllegalArgumentException {

    private final String field;

    public InvalidSpecException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
