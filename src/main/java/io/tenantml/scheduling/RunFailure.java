package io.tenantml.scheduling;

/**
 * Thrown by a {@link RunHandler} for a failure it understands: the run ends FAILED with this code and message,
 * both shown to the tenant as they are. So the message must be written for the tenant (what went wrong and what
 * to do) and must never carry exception, SQL or driver text; a cause, if given, goes to the log only.
 */
public class RunFailure extends RuntimeException {

    private final String code;

    public RunFailure(String code, String safeMessage) {
        this(code, safeMessage, null);
    }

    public RunFailure(String code, String safeMessage, Throwable cause) {
        super(safeMessage, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
