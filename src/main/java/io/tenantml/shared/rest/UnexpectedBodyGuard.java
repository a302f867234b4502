package io.tenantml.shared.rest;

import io.tenantml.shared.Problem;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body sent to an endpoint that takes none. {@code POST .../builds} with {@code {"datasetVersion": 3}}
 * or {@code DELETE .../datasets/x} with {@code {"versions": [1]}} would otherwise run as if the body were not
 * there, and the client would believe it had been obeyed: the same reason {@link QueryParameterGuard} refuses a
 * query parameter the endpoint does not read. Refused from its headers alone ({@code Content-Length} above 0, or
 * any {@code Transfer-Encoding}), before the body is read, so an empty {@code {}} is refused too: what an endpoint
 * takes goes in its path and query.
 *
 * <p>Whether a method takes a body is read once from its parameters, as Quarkus REST reads them: the body is the one
 * parameter that no JAX-RS or Quarkus REST annotation binds and that is not a type the framework injects.
 */
public class UnexpectedBodyGuard {

    /** Packages of the annotations that bind a parameter to something other than the body. */
    private static final List<String> BINDING_PACKAGES = List.of("jakarta.ws.rs.", "org.jboss.resteasy.reactive.");

    /** Packages of the types Quarkus REST injects without an annotation ({@code UriInfo}, {@code HttpServerRequest}). */
    private static final List<String> INJECTED_PACKAGES =
            List.of("jakarta.ws.rs.", "org.jboss.resteasy.reactive.", "io.vertx.", "io.smallrye.");

    private final Map<Method, Boolean> takesBody = new ConcurrentHashMap<>();

    // after authentication: another tenant's path answers 404 whatever the request carries, as everywhere
    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHORIZATION + 20)
    public Response refuseABodyTheEndpointWouldIgnore(ContainerRequestContext request, ResourceInfo resource) {
        Method method = RouteCatalogue.ownMethod(resource);
        if (method == null) {
            return null;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        boolean sent = request.getHeaderString("Transfer-Encoding") != null
                || (length != null && !length.isBlank() && !length.strip().equals("0"));
        if (!sent || takesBody.computeIfAbsent(method, UnexpectedBodyGuard::takesBody)) {
            return null;
        }
        return ProblemMappers.toResponse(Problem.of(
                        400,
                        "unexpected-body",
                        "Unexpected body",
                        request.getMethod() + " on this endpoint takes no body, and it would not be read; what the"
                                + " endpoint takes goes in its path and query parameters")
                .with("in", "body"));
    }

    static boolean takesBody(Method method) {
        for (Parameter parameter : method.getParameters()) {
            if (!isBound(parameter) && !isInjected(parameter.getType())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBound(Parameter parameter) {
        for (Annotation annotation : parameter.getAnnotations()) {
            String name = annotation.annotationType().getName();
            if (BINDING_PACKAGES.stream().anyMatch(name::startsWith)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isInjected(Class<?> type) {
        String name = type.getName();
        return INJECTED_PACKAGES.stream().anyMatch(name::startsWith);
    }
}
