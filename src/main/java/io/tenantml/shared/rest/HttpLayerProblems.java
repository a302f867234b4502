package io.tenantml.shared.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.tenantml.shared.Problem;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Some failures happen in the HTTP layer before any resource is chosen (a body over
 * {@code quarkus.http.limits.max-body-size}, a URI too long, headers too large, a broken percent-escape);
 * they get problem+json too, naming the limit or what is broken and where.
 *
 * <p>A URI that is not one (a broken escape such as {@code %zz}, {@code %G1} or a {@code %} at the end, a
 * character that must be escaped) is refused by Quarkus' root handler with an empty 400 before any route
 * runs, unless the JVM runs with {@code -Dvertx.disableURIValidation=true} (the JVM flags in {@code tml}, the
 * pom's {@code tenantml.jvm.flags}); then the same check runs here, first, and says what is broken and where.
 * Without the flag nothing is accepted that was refused before, the refusal is only empty (a warning at start
 * says so). What the connection's decoder
 * refuses before routing (a request line over {@code quarkus.http.limits.max-initial-line-length}, headers
 * over {@code quarkus.http.limits.max-header-size}) still answers an empty 414 or 431: no handler runs there,
 * which is why both netty limits are set well above the ones answered here.
 */
@ApplicationScoped
public class HttpLayerProblems {

    private static final Logger LOG = Logger.getLogger(HttpLayerProblems.class);

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        if (!Boolean.getBoolean("vertx.disableURIValidation")) {
            LOG.warn("Run the JVM with -Dvertx.disableURIValidation=true (see tml): without it Quarkus refuses an"
                    + " invalid request URI (such as /models/%zz) with an empty 400 before the platform can say why");
        }
        // Declared sizes are refused before the body is read; Vert.x would otherwise answer an empty 413.
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && isOver(length)) {
                // The unread body cannot be skipped cheaply: answer, then let Vert.x close the connection.
                ctx.response().putHeader("Connection", "close");
                write(ctx, tooLarge());
            } else {
                ctx.next();
            }
        });
        router.errorHandler(413, ctx -> write(ctx, tooLarge()));
        // Request lines up to quarkus.http.limits.max-initial-line-length reach the router; the longest
        // URI an operation can need (names of 64 characters, a cursor) is far below MAX_URI_CHARS.
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String uri = ctx.request().uri();
            if (uri.length() > MAX_URI_CHARS) {
                write(ctx, uriTooLong(uri.length()));
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE + 2).handler(ctx -> {
            int headerChars = headerChars(ctx);
            if (headerChars > MAX_HEADER_CHARS) {
                write(ctx, headersTooLarge(headerChars));
                return;
            }
            Problem broken = invalidUri(ctx.request().uri());
            if (broken != null) {
                write(ctx, broken);
            } else {
                ctx.next();
            }
        });
        // RESTEasy answers OPTIONS with every method of the first resource class whose prefix matches, for any
        // path under it (one that does not exist too); the catalogue knows the path's own methods.
        router.route().order(Integer.MIN_VALUE + 3).method(HttpMethod.OPTIONS).handler(ctx -> {
            String path = ctx.normalizedPath();
            if (!path.startsWith("/api/")) {
                ctx.next();
                return;
            }
            Set<String> allowed = RouteCatalogue.allowedAt(path);
            if (allowed.isEmpty()) {
                write(ctx, Problem.of(404, "not-found", "Not found", "No resource at " + path));
            } else {
                ctx.response()
                        .setStatusCode(204)
                        .putHeader("Allow", String.join(", ", allowed))
                        .end();
            }
        });
        // Any other 400 the HTTP layer fails a request with (rather than a resource answering it) would be
        // written empty by Vert.x; say at least what it said.
        router.errorHandler(400, ctx -> write(ctx, badRequest(ctx)));
    }

    /**
     * The largest request headers answered other than 431, in characters of names and values: Quarkus'
     * default limit. Netty reads up to {@code quarkus.http.limits.max-header-size} (64 KiB) so that the
     * router can say so.
     */
    static final int MAX_HEADER_CHARS = 20 * 1024;

    private static int headerChars(RoutingContext ctx) {
        int total = 0;
        for (var header : ctx.request().headers()) {
            total += header.getKey().length() + header.getValue().length() + 4; // ": " and CRLF
        }
        return total;
    }

    private static Problem headersTooLarge(int chars) {
        return Problem.of(
                        431,
                        "headers-too-large",
                        "Request header fields too large",
                        "The request headers have " + chars + " characters; at most " + MAX_HEADER_CHARS
                                + " are accepted")
                .with("limit", MAX_HEADER_CHARS);
    }

    /**
     * What is wrong with a raw request URI, as a 400 saying what and where, or null when it is a URI. The test
     * is {@link URI}'s, the one Quarkus' root handler applies when not disabled, so that nothing passes here
     * that would be refused there.
     */
    static Problem invalidUri(String uri) {
        Problem broken = brokenEscape(uri);
        if (broken != null) {
            return broken;
        }
        try {
            new URI(uri);
            return null;
        } catch (URISyntaxException e) {
            int at = Math.max(0, e.getIndex());
            int query = uri.indexOf('?');
            String in = query >= 0 && at > query ? "query" : "path";
            String character = at < uri.length()
                    ? "'" + uri.charAt(at) + "' (U+" + String.format("%04X", (int) uri.charAt(at)) + ")"
                    : "the end";
            return Problem.of(
                            400,
                            "invalid-uri",
                            "Invalid URI",
                            "The " + in + " has " + character + " at character " + at + " of the URI: " + e.getReason()
                                    + " (such characters are percent-encoded)")
                    .with("in", in);
        }
    }

    /**
     * The first percent-escape of a raw request URI that is not {@code %} and two hexadecimal digits, as a
     * 400 naming whether it is in the path or the query (and then which parameter), the escape and its
     * position; null when every escape is whole.
     */
    static Problem brokenEscape(String uri) {
        int query = uri.indexOf('?');
        int end = uri.indexOf('#') < 0 ? uri.length() : uri.indexOf('#');
        for (int i = 0; i < end; i++) {
            if (uri.charAt(i) != '%') {
                continue;
            }
            if (i + 2 < end && hex(uri.charAt(i + 1)) && hex(uri.charAt(i + 2))) {
                i += 2;
                continue;
            }
            String escape = uri.substring(i, Math.min(end, i + 3));
            String rule = " has a broken percent-escape '" + escape + "' at character " + i + " of the URI: '%'"
                    + " must be followed by two hexadecimal digits (a literal '%' is written %25)";
            if (query < 0 || i < query) {
                return Problem.of(400, "invalid-uri", "Invalid URI", "The path" + rule)
                        .with("in", "path");
            }
            int start = Math.max(query, uri.lastIndexOf('&', i)) + 1;
            int equals = uri.indexOf('=', start);
            String name = equals >= 0 && equals < i ? uri.substring(start, equals) : null;
            if (name == null || name.indexOf('%') >= 0) {
                // The broken escape is in a parameter's name, or the name has escapes of its own: say no name.
                return Problem.of(400, "invalid-uri", "Invalid URI", "The query" + rule)
                        .with("in", "query");
            }
            return Problem.of(400, "invalid-uri", "Invalid URI", "The query parameter '" + name + "'" + rule)
                    .with("in", "query")
                    .with("parameter", name);
        }
        return null;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static Problem badRequest(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        String reason = failure != null
                        && failure.getMessage() != null
                        && !failure.getMessage().isBlank()
                ? failure.getMessage()
                : "the HTTP layer refused the request";
        return Problem.of(400, "bad-request", "Bad request", "The request cannot be read: " + reason);
    }

    /** The longest request URI answered other than 414 (the HTTP layer reads lines up to 64 KiB to say so). */
    static final int MAX_URI_CHARS = 8_192;

    private static Problem uriTooLong(int length) {
        return Problem.of(
                        414,
                        "uri-too-long",
                        "URI too long",
                        "The request URI has " + length + " characters; at most " + MAX_URI_CHARS + " are accepted")
                .with("limit", MAX_URI_CHARS);
    }

    private boolean isOver(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodySize.asLongValue();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Problem tooLarge() {
        return Problem.of(
                        413,
                        "content-too-large",
                        "Content too large",
                        "The request body exceeds the limit quarkus.http.limits.max-body-size ("
                                + maxBodySize.asLongValue() + " bytes)")
                .with("limit", "quarkus.http.limits.max-body-size");
    }

    private void write(RoutingContext ctx, Problem problem) {
        if (ctx.response().headWritten()) {
            return;
        }
        try {
            ctx.response()
                    .setStatusCode(problem.status())
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(mapper.writeValueAsString(problem.at(ctx.request().path())));
        } catch (JsonProcessingException e) {
            ctx.response().setStatusCode(problem.status()).end();
        }
    }
}
