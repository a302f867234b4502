package io.tenantml.shared.rest;

import io.tenantml.shared.Problem;
import io.tenantml.shared.Texts;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a path parameter that is not of its declared type ({@code /versions/abc}, {@code /trainings/42}) with a
 * 400 naming it and what it must be. JAX-RS answers a path value it cannot convert with a bare 404, which tells
 * the client the thing does not exist when what it sent could never name one. The typed parameters of an
 * endpoint are read once from its method, so they cannot drift from what the method takes.
 */
public class PathParameterGuard {

    /** A typed path parameter: its name and the type its value must parse as. */
    record TypedParameter(String name, Class<?> type) {}

    private final Map<Method, List<TypedParameter>> typed = new ConcurrentHashMap<>();

    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHENTICATION - 90)
    public Response refuseUntypablePathParameters(ContainerRequestContext request, ResourceInfo resource) {
        Method method = RouteCatalogue.ownMethod(resource);
        if (method == null) {
            return null;
        }
        for (TypedParameter parameter : typed.computeIfAbsent(method, PathParameterGuard::typedPathParameters)) {
            String value = request.getUriInfo().getPathParameters().getFirst(parameter.name());
            String expected = value == null ? null : mismatch(parameter.type(), value);
            if (expected != null) {
                return ProblemMappers.toResponse(Problem.of(
                                400,
                                "invalid-parameter",
                                "Bad request",
                                "The path parameter '" + parameter.name() + "' is '" + Texts.cut(value, 60)
                                        + "'; it must be " + expected)
                        .with("parameter", parameter.name())
                        .with("in", "path"));
            }
        }
        return null;
    }

    /** The path parameters of {@code method} whose values are converted to a number or a UUID. */
    static List<TypedParameter> typedPathParameters(Method method) {
        List<TypedParameter> parameters = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            String name = pathParameterName(parameter);
            if (name != null && isTyped(parameter.getType())) {
                parameters.add(new TypedParameter(name, parameter.getType()));
            }
        }
        return List.copyOf(parameters);
    }

    private static String pathParameterName(Parameter parameter) {
        PathParam path = parameter.getAnnotation(PathParam.class);
        if (path != null) {
            return path.value();
        }
        RestPath rest = parameter.getAnnotation(RestPath.class);
        if (rest != null) {
            return rest.value().isEmpty() ? parameter.getName() : rest.value();
        }
        return null;
    }

    private static boolean isTyped(Class<?> type) {
        return type == int.class
                || type == Integer.class
                || type == long.class
                || type == Long.class
                || type == UUID.class;
    }

    private static final String A_UUID = "a UUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301";

    /** What {@code value} must be to convert to {@code type}, or null when it converts. */
    static String mismatch(Class<?> type, String value) {
        boolean isInt = type == int.class || type == Integer.class;
        try {
            if (type != UUID.class) {
                if (isInt) {
                    Integer.parseInt(value);
                } else {
                    Long.parseLong(value);
                }
                return null;
            }
            // UUID.fromString also takes "1-2-3-4-5"; an id this API hands out is always the 36-character form
            return UUID.fromString(value).toString().equalsIgnoreCase(value) ? null : A_UUID;
        } catch (IllegalArgumentException e) {
            return type == UUID.class
                    ? A_UUID
                    : "a whole number no greater than " + (isInt ? Integer.MAX_VALUE : Long.MAX_VALUE);
        }
    }
}
