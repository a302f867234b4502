package io.tenantml.model;

import io.tenantml.shared.JsonBodies;

/** A model spec value that is wrong; {@link #field()} is its JSON path, such as {@code params.eta}. */
public class InvalidSpecException extends IllegalArgumentException implements JsonBodies.InvalidField {

    private final String field;

    public InvalidSpecException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
