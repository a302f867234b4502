package io.tenantml.shared.rest;

import io.tenantml.shared.Problem;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a query parameter that the endpoint does not take, naming it and the ones it does take. A misspelt
 * {@code ?limt=5} or {@code ?groupby=model} would otherwise be ignored, and the client would read a default
 * answer as the one it asked for; JSON bodies are already held to their declared fields the same way.
 * The names an endpoint takes are read once from its method's {@code @QueryParam}/{@code @RestQuery}
 * parameters and the fields of its {@code @BeanParam}s, so they cannot drift from what the method reads.
 */
public class QueryParameterGuard {

    private final Map<Method, Set<String>> accepted = new ConcurrentHashMap<>();

    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHENTICATION - 80)
    public Response refuseUnknownQueryParameters(ContainerRequestContext request, ResourceInfo resource) {
        Method method = RouteCatalogue.ownMethod(resource);
        if (method == null) {
            return null;
        }
        Set<String> sent = request.getUriInfo().getQueryParameters().keySet();
        if (sent.isEmpty()) {
            return null;
        }
        Set<String> takes = accepted.computeIfAbsent(method, QueryParameterGuard::queryParameterNames);
        for (String name : new TreeSet<>(sent)) {
            if (!takes.contains(name)) {
                return ProblemMappers.toResponse(Problem.of(
                                400,
                                "unknown-parameter",
                                "Unknown parameter",
                                "The query parameter '" + name + "' is not one this endpoint takes"
                                        + (takes.isEmpty()
                                                ? "; it takes none"
                                                : "; it takes " + String.join(", ", takes)))
                        .with("parameter", name)
                        .with("in", "query"));
            }
        }
        return null;
    }

    static Set<String> queryParameterNames(Method method) {
        Set<String> names = new TreeSet<>();
        for (Parameter parameter : method.getParameters()) {
            addName(parameter, parameter.getName(), names);
            if (parameter.isAnnotationPresent(BeanParam.class)) {
                for (Class<?> type = parameter.getType(); type != Object.class; type = type.getSuperclass()) {
                    for (Field field : type.getDeclaredFields()) {
                        addName(field, field.getName(), names);
                    }
                }
            }
        }
        return Collections.unmodifiableSet(names); // sorted, for the message
    }

    private static void addName(AnnotatedElement element, String declaredName, Set<String> names) {
        QueryParam query = element.getAnnotation(QueryParam.class);
        if (query != null) {
            names.add(query.value());
        }
        RestQuery rest = element.getAnnotation(RestQuery.class);
        if (rest != null) {
            names.add(rest.value().isEmpty() ? declaredName : rest.value());
        }
    }
}
