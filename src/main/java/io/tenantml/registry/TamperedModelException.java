package io.tenantml.registry;

/** A model file whose bytes no longer match the SHA-256 recorded at registration; it is never loaded. */
public class TamperedModelException extends RuntimeException {

    public TamperedModelException(String message) {
        super(message);
    }
}
