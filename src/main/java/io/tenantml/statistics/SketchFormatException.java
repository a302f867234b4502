package io.tenantml.statistics;

/** Bytes that are not a summary this code can read: not ours, cut short, of another kind, or of a newer format. */
public final class SketchFormatException extends IllegalArgumentException {

    public SketchFormatException(String message) {
        super(message);
    }

    public SketchFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
