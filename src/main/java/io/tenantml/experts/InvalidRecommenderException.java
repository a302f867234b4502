package io.tenantml.experts;

import io.tenantml.shared.JsonBodies;

/** A recommender spec that is wrong, naming the field (a JSON path such as {@code text[1]}). */
public class InvalidRecommenderException extends RuntimeException implements JsonBodies.InvalidField {

    private final String field;

    public InvalidRecommenderException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
