package io.tenantml.shared;

import java.util.OptionalLong;

/**
 * Thrown by services for any failure that the client caused or can act on; mapped to problem+json.
 * Services throw it instead of JAX-RS exceptions so that they stay free of HTTP types.
 */
public class ProblemException extends RuntimeException {

    /**
     * What a client told to retry a request that collided with another one (a 409 {@code concurrent-change}, an
     * Idempotency-Key still in use) waits: the other request is short or will have moved on by then.
     */
    public static final long RETRY_CONFLICT_AFTER_SECONDS = 1;

    private final transient Problem problem;

    /** Seconds for the answer's Retry-After, null when retrying the same request would not help. */
    private final Long retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    private ProblemException(Problem problem, Long retryAfterSeconds) {
        super(problem.detail());
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Problem problem() {
        return problem;
    }

    /** The Retry-After of the answer, if the same request may succeed later as it is. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }

    /**
     * A 409 that the same request, sent again a moment later, may not get: it met another request in flight
     * (answered with Retry-After {@link #RETRY_CONFLICT_AFTER_SECONDS}, like {@code concurrent-change}).
     */
    public static ProblemException retryableConflict(String slug, String detail) {
        return new ProblemException(Problem.of(409, slug, "Conflict", detail), RETRY_CONFLICT_AFTER_SECONDS);
    }

    /**
     * A 503: a service the platform depends on could not serve the request, nothing was changed, and the same
     * request may succeed after {@code retryAfterSeconds}.
     */
    public static ProblemException unavailable(String slug, String detail, long retryAfterSeconds) {
        if (retryAfterSeconds <= 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be positive, was " + retryAfterSeconds);
        }
        return new ProblemException(Problem.of(503, slug, "Service unavailable", detail), retryAfterSeconds);
    }

    public static ProblemException badRequest(String slug, String detail) {
        return new ProblemException(Problem.of(400, slug, "Bad request", detail));
    }

    /**
     * A 400 naming the body field at fault: a JSON path such as {@code schema.columns[2].name}, or {@code ""} for
     * the body as a whole. Clients point their user at it.
     */
    public static ProblemException badField(String slug, String field, String detail) {
        return new ProblemException(Problem.of(400, slug, "Bad request", detail).with("field", field));
    }

    /** A 400 naming the query parameter at fault. */
    public static ProblemException badParameter(String slug, String parameter, String detail) {
        return new ProblemException(Problem.of(400, slug, "Bad request", detail).with("parameter", parameter));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", what));
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Problem.of(409, slug, "Conflict", detail));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "forbidden", "Forbidden", detail));
    }

    public static ProblemException unprocessable(String slug, String detail) {
        return new ProblemException(Problem.of(422, slug, "Unprocessable content", detail));
    }

    /** A 422: the body is well formed, but the value of {@code field} cannot be applied. */
    public static ProblemException unprocessableField(String slug, String field, String detail) {
        return new ProblemException(
                Problem.of(422, slug, "Unprocessable content", detail).with("field", field));
    }

    public static ProblemException tooLarge(String slug, String detail) {
        return new ProblemException(Problem.of(413, slug, "Content too large", detail));
    }
}
