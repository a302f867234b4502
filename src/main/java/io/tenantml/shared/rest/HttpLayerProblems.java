package io.tenantml.shared.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.tenantml.shared.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Some failures happen in the HTTP layer before any resource is chosen (a body over
 * {@code quarkus.http.limits.max-body-size}, a URI too long); they get problem+json too, with the limit
 * named. (A URI with an undecodable escape such as {@code %zz} is still refused by Vert.x with an empty 400
 * before any handler runs.)
 */
@ApplicationScoped
public class HttpLayerProblems {

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
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
