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
 * {@code quarkus.http.limits.max-body-size}); they get problem+json too, with the limit named.
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
