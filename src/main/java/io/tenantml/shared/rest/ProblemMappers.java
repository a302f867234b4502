package io.tenantml.shared.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.tenantml.shared.JsonBodies;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.Texts;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into RFC 9457 problem+json. Anything unexpected becomes a 500 problem with a
 * correlation id in the log, never a stack trace on the wire.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    public static Response toResponse(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response response = toResponse(e.problem().at(uri.getPath()));
        return e.retryAfterSeconds().isEmpty()
                ? response
                : retryAfter(response, e.retryAfterSeconds().getAsLong());
    }

    /** The response with a Retry-After of {@code seconds}: what every retryable refusal carries. */
    private static Response retryAfter(Response response, long seconds) {
        return Response.fromResponse(response)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, HttpServerRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return unreadableJson(json, uri);
            }
        }
        int status = e.getResponse().getStatus();
        // RESTEasy answers 404, or 405 without Allow, when another class than the last one tried has the path.
        if (status == 404 || status == 405) {
            Set<String> allowed = RouteCatalogue.allowedAt(uri.getPath());
            if (!allowed.isEmpty() && !allowed.contains(request.method().name())) {
                return Response.fromResponse(toResponse(Problem.of(
                                        405,
                                        slug(405),
                                        "Method not allowed",
                                        request.method().name() + " is not an operation of " + uri.getPath()
                                                + "; it takes " + String.join(", ", allowed))
                                .at(uri.getPath())))
                        .allow(allowed)
                        .build();
            }
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? sentenceCase(Response.Status.fromStatusCode(status).getReasonPhrase())
                : "Error";
        RouteCatalogue.MediaTypes media = status == 406 || status == 415
                ? RouteCatalogue.mediaTypesAt(uri.getPath(), request.method().name())
                : null;
        String detail = switch (status) {
            case 404 -> "No resource at " + uri.getPath();
            case 405 -> "Method not allowed on " + uri.getPath();
            case 406 ->
                "None of the Accept media types can be produced here"
                        + (media.produces().isEmpty() ? "" : "; it answers " + String.join(", ", media.produces()));
            case 415 ->
                "Unsupported Content-Type "
                        + (request.getHeader(HttpHeaders.CONTENT_TYPE) == null
                                ? "(none sent) "
                                : "'" + Texts.cut(request.getHeader(HttpHeaders.CONTENT_TYPE), 100) + "' ")
                        + "for " + uri.getPath()
                        + (media.consumes().isEmpty()
                                ? ""
                                : "; " + request.method().name() + " here takes "
                                        + String.join(", ", media.consumes()));
            default -> e.getMessage();
        };
        Response.ResponseBuilder builder = Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, slug(status), title, detail).at(uri.getPath()));
        if (status == 415 && !media.consumes().isEmpty()) {
            // RFC 9110, 15.5.16: Accept on a 415 says which media types the request could have had
            builder.header(HttpHeaders.ACCEPT, String.join(", ", media.consumes()));
        }
        // Keep protocol headers the original response carried (Allow on 405, WWW-Authenticate on 401).
        for (String header : List.of(HttpHeaders.ALLOW, HttpHeaders.WWW_AUTHENTICATE, "Retry-After")) {
            Object value = e.getResponse().getHeaders().getFirst(header);
            if (value != null) {
                builder.header(header, value);
            }
        }
        return builder.build();
    }

    /**
     * "Not Found" as "Not found": the titles this API writes itself are in sentence case, and a problem type keeps
     * one title whichever layer answers it (RFC 9457, 3.1.3).
     */
    static String sentenceCase(String reasonPhrase) {
        return reasonPhrase.isEmpty()
                ? reasonPhrase
                : reasonPhrase.charAt(0) + reasonPhrase.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether a header value parses as a media type; an absent header is no bad one. */
    private static boolean isMediaType(String value) {
        if (value == null) {
            return true;
        }
        try {
            MediaType.valueOf(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Every violation in {@code errors}, in a stable order (by field, then message), and the first one's field as
     * {@code field}, where every other 400 names it. A violation of the body itself (none sent where one is
     * required) names no field and is said of "the body", not of the Java method and parameter it reached.
     */
    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.entry(fieldOf(v), v.getMessage()))
                .map(v -> v.getKey().isEmpty()
                        ? Map.of("message", v.getValue())
                        : Map.of("field", v.getKey(), "message", v.getValue()))
                .sorted(Comparator.comparing((Map<String, String> m) -> m.getOrDefault("field", ""))
                        .thenComparing(m -> m.get("message")))
                .toList();
        String detail = errors.stream()
                .map(m -> m.getOrDefault("field", "the body") + ": " + m.get("message"))
                .collect(Collectors.joining("; "));
        Problem problem = Problem.of(400, "validation", "Invalid request", detail)
                .with("errors", errors)
                .at(uri.getPath());
        String first = errors.isEmpty() ? null : errors.get(0).get("field");
        return toResponse(first == null ? problem.with("in", "body") : problem.with("field", first));
    }

    /**
     * Jackson's own mismatch (an array where an object belongs, a bare string or number) has a built-in
     * mapper in Quarkus that answers 400 with an empty body; this one, more specific and of higher priority,
     * says what was wrong and where.
     */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        Problem problem = Problem.of(400, "malformed-json", "Malformed JSON body", describe(e));
        String field = e instanceof JsonMappingException mapping ? JsonBodies.fieldPath(mapping) : "";
        // named as every other 400 names it, so a client (or the console) can mark the field
        return toResponse((field.isEmpty() ? problem : problem.with("field", field)).at(uri.getPath()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri, HttpServerRequest request) {
        if (e instanceof IllegalArgumentException && !isMediaType(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            // RESTEasy parses the Content-Type to choose among several methods of one path (JSON or CSV) even for
            // a GET, and its parse failure reaches here unmapped: the client's header, not the platform's failure
            return toResponse(Problem.of(
                            415,
                            slug(415),
                            "Unsupported media type",
                            "The Content-Type header is not a media type (type/subtype)")
                    .at(uri.getPath()));
        }
        return unexpected(e, uri);
    }

    /** Any other failure: a problem it carries, a known outside cause, or a 500 with an incident id. */
    public Response unexpected(Exception e, UriInfo uri) {
        Throwable cause = e;
        while (cause.getCause() != null && cause != cause.getCause()) {
            if (cause instanceof ProblemException pe) {
                return problem(pe, uri);
            }
            cause = cause.getCause();
        }
        if (cause instanceof ProblemException pe) {
            return problem(pe, uri);
        }
        if (cause instanceof HttpClosedException) {
            // The client went away while its body was read: nobody receives an answer, and it is not
            // the platform's failure (nginx logs it as 499), so no incident.
            LOG.debugf("client closed the connection during %s", uri.getPath());
            return toResponse(Problem.of(
                            400,
                            "client-closed-request",
                            "Client closed request",
                            "the connection was closed before the request body was read")
                    .at(uri.getPath()));
        }
        if (databaseUnavailable(e)) {
            LOG.warnf("database unavailable during %s: %s", uri.getPath(), cause.getMessage());
            return Response.fromResponse(toResponse(Problem.of(
                                    503,
                                    "database-unavailable",
                                    "Service unavailable",
                                    "The database cannot be reached; nothing was changed. Retry later.")
                            .at(uri.getPath())))
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(DATABASE_RETRY_AFTER_SECONDS))
                    .build();
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.sql.SQLException sql && sqlStateIn(UNSTORABLE_TEXT, sql)) {
                // A text value PostgreSQL cannot hold (NUL) that no validation caught: the client's input,
                // and the transaction it was in rolled back. The driver's text stays in the log.
                LOG.warnf("unstorable text refused on %s: %s", uri.getPath(), sql.getMessage());
                return toResponse(Problem.of(
                                400,
                                "invalid-text",
                                "Invalid text",
                                "A text value in the request contains a character that cannot be stored "
                                        + "(such as NUL, U+0000)")
                        .at(uri.getPath()));
            }
        }
        if (concurrentConflict(e)) {
            // Two requests wrote the same thing at once and the database kept one: a unique key both inserted,
            // or a serialization failure or deadlock. This request's transaction rolled back; the client's
            // answer is to retry, not to report an incident.
            LOG.infof("concurrent change refused on %s: %s", uri.getPath(), e.getMessage());
            return problem(
                    ProblemException.retryableConflict(
                            "concurrent-change",
                            "The request collided with another change of the same resource made at the same moment"
                                    + " and was not applied. Retry it."),
                    uri);
        }
        if (transactionTimedOut(e)) {
            // The transaction outlived its timeout and the reaper rolled it back (a slow dependency: Keycloak,
            // a storage call, a busy database): the work is undone, and the same request may well pass later.
            LOG.warnf("transaction timed out during %s: %s", uri.getPath(), e.getMessage());
            return problem(
                    ProblemException.unavailable(
                            "transaction-timeout",
                            "The request took longer than its transaction may last and was rolled back. Retry later.",
                            TRANSACTION_TIMEOUT_RETRY_AFTER_SECONDS),
                    uri);
        }
        String incident = java.util.UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure on %s (incident %s)", uri.getPath(), incident);
        return toResponse(Problem.of(
                        500, "internal", "Internal error", "An unexpected error occurred; quote incident " + incident)
                .at(uri.getPath()));
    }

    /** SQL states of text PostgreSQL cannot store: character not in repertoire (NUL), untranslatable. */
    private static final java.util.Set<String> UNSTORABLE_TEXT = java.util.Set.of("22021", "22P05");

    /** unique_violation, serialization_failure, deadlock_detected: another transaction won. */
    private static final java.util.Set<String> CONCURRENT_CONFLICT = java.util.Set.of("23505", "40001", "40P01");

    /** Whether the exception's SQL state is one of {@code states}; many drivers' exceptions carry none. */
    private static boolean sqlStateIn(java.util.Set<String> states, java.sql.SQLException sql) {
        // Set.of(..) throws on contains(null)
        return sql.getSQLState() != null && states.contains(sql.getSQLState());
    }

    /** Whether the failure is the database refusing a write that lost to a concurrent one, through any wrapper. */
    static boolean concurrentConflict(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.sql.SQLException sql && sqlStateIn(CONCURRENT_CONFLICT, sql)) {
                return true;
            }
            // a row this transaction read was changed or deleted by another before it wrote (Hibernate found
            // no row to update or delete)
            if (c instanceof jakarta.persistence.OptimisticLockException
                    || c instanceof org.hibernate.StaleStateException) {
                return true;
            }
        }
        return false;
    }

    /** What a client whose transaction timed out is told to wait: whatever was slow may have recovered by then. */
    static final long TRANSACTION_TIMEOUT_RETRY_AFTER_SECONDS = 5;

    /** SQL state query_canceled: PostgreSQL stopped the statement on a cancel request (the reaper's, here). */
    private static final String QUERY_CANCELED = "57014";

    /**
     * How Agroal (agroal-narayana 3) refuses a connection to a statement whose transaction the reaper has rolled
     * back; the SQLException carries no state to tell it by.
     */
    private static final String ROLLED_BACK_CONNECTION_REFUSAL = "Failing fast as the transaction has rolled back";

    /**
     * Whether the failure is the JTA reaper having rolled back a transaction that outlived its timeout, in any of
     * the three places a request meets it: its commit, which Narayana refuses with ARJUNA016102 ("The transaction
     * is not active!"), as an onboarding held up by Keycloak did before the admin client had a timeout; a statement
     * still running, which the reaper cancels in PostgreSQL (query_canceled, also what a statement timeout gives);
     * and a statement after it, whose connection Agroal refuses. {@code TransactionTimeoutTest} produces each.
     */
    static boolean transactionTimedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof jakarta.transaction.RollbackException
                    && String.valueOf(t.getMessage()).contains("ARJUNA016102")) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql
                    && (QUERY_CANCELED.equals(sql.getSQLState())
                            || String.valueOf(sql.getMessage()).startsWith(ROLLED_BACK_CONNECTION_REFUSAL))) {
                return true;
            }
        }
        return false;
    }

    /** What a client is told to wait when the database is down (a restart takes seconds). */
    static final long DATABASE_RETRY_AFTER_SECONDS = 5;

    /**
     * Whether a failure is the database being unreachable rather than a fault: a connection exception
     * (SQLState class 08), PostgreSQL shutting down or starting (57P01-57P03), or no pooled connection to
     * be had. Such requests answer 503 with Retry-After at once; nothing they did was committed.
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
            if (t instanceof java.sql.SQLException
                    && String.valueOf(t.getMessage())
                            .toLowerCase(java.util.Locale.ROOT)
                            .contains("acquisition timeout")) {
                // Agroal: no connection could be had in time ("Sorry, acquisition timeout!", "Acquisition
                // timeout while waiting for new connection").
                return true;
            }
            if (t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The violation's place in the body as a client names it: "name", "records[2].x", and "[1].predictionId" for an
     * item of a body that is an array. The method and parameter nodes ("create.request") mean nothing to a client;
     * an index or key of an array or map element is kept, whichever node carries it. Empty for the body itself.
     */
    static String fieldOf(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (jakarta.validation.Path.Node node : violation.getPropertyPath()) {
            if (node.isInIterable()) {
                Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
                field.append('[').append(at == null ? "" : at).append(']');
            }
            ElementKind kind = node.getKind();
            String name = node.getName();
            boolean named = name != null && !name.startsWith("<");
            if (kind == ElementKind.METHOD
                    || kind == ElementKind.CONSTRUCTOR
                    || kind == ElementKind.PARAMETER
                    || kind == ElementKind.CROSS_PARAMETER
                    || kind == ElementKind.RETURN_VALUE
                    || !named) {
                continue;
            }
            if (!field.isEmpty()) {
                field.append('.');
            }
            field.append(name);
        }
        return field.toString();
    }

    private static String describe(JsonProcessingException e) {
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        if (e instanceof JsonMappingException mapping) {
            return JsonBodies.describe(mapping, where);
        }
        return "The body is not valid JSON" + where + ": " + JsonBodies.describeSyntax(e);
    }

    private static String slug(int status) {
        return switch (status) {
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "content-too-large";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
    }
}
