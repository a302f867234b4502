package io.tenantml.training;

/**
 * The rows a training would use cannot be split into a training and a validation part: too few, or all alike.
 * A fact about the tenant's data, said to the tenant as it is (a training's {@code too-few-rows}), not an
 * incident of the platform's.
 */
public class TooFewRowsException extends IllegalArgumentException {

    public TooFewRowsException(String message) {
        super(message);
    }
}
