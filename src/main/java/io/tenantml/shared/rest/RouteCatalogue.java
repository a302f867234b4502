package io.tenantml.shared.rest;

import io.quarkus.arc.Arc;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's operations as (route template, HTTP methods), read once from the resource classes.
 *
 * <p>Why it exists: RESTEasy Reactive decides 405 only within the last resource class it tried, and most of
 * our classes share the prefix {@code /api/v1/tenants/{tenant}}, so a PATCH on an existing path came back 404.
 * {@link #allowedAt} answers what RFC 9110 needs for a 405: whether some operation lives at the path, and with
 * which methods.
 */
public final class RouteCatalogue {

    private static final Pattern PARAMETER = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*(?::\\s*([^}]*))?}");

    private record Route(Pattern path, Set<String> methods) {}

    private static volatile List<Route> routes;

    /** An operation's route pattern and the media types it reads and writes. */
    private record MediaRoute(Pattern path, String verb, List<String> consumes, List<String> produces) {}

    private static volatile List<MediaRoute> mediaRoutes;

    /**
     * What the operations at {@code path} answering {@code verb} read ({@code @Consumes}) and write
     * ({@code @Produces}): the method's annotation, else its class's, without parameters ({@code text/csv}, not
     * {@code text/csv;qs=0.5}), sorted. A list is empty when no such operation declares any.
     */
    public record MediaTypes(List<String> consumes, List<String> produces) {}

    private RouteCatalogue() {}

    /**
     * The resource method a request matched when it is one of the platform's own operations, else null: no match
     * (a 404 on the way), or an endpoint of Quarkus itself (health, OpenAPI), which the platform's filters leave be.
     */
    public static Method ownMethod(jakarta.ws.rs.container.ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        return method != null && method.getDeclaringClass().getName().startsWith("io.tenantml.") ? method : null;
    }

    /** The route template of a resource method: its class's and its own {@code @Path}, joined by one slash. */
    public static String template(Class<?> resourceClass, Method method) {
        // path parameters with a regular expression ({name: [a-z]+}) are named without it
        return declaredPath(resourceClass, method).replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}");
    }

    private static String declaredPath(Class<?> resourceClass, Method method) {
        Path classPath = resourceClass.getAnnotation(Path.class);
        if (classPath == null) {
            classPath = method.getDeclaringClass().getAnnotation(Path.class);
        }
        Path methodPath = method.getAnnotation(Path.class);
        String joined = ("/" + (classPath == null ? "" : classPath.value()) + "/"
                        + (methodPath == null ? "" : methodPath.value()))
                .replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** The HTTP method a resource method answers ({@code GET}, {@code PATCH}, ...), or null for none. */
    public static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /**
     * The methods some operation at {@code path} answers, with HEAD beside GET and OPTIONS always (as RESTEasy
     * answers them); empty when no operation lives at the path.
     */
    public static Set<String> allowedAt(String path) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes()) {
            if (route.path().matcher(path).matches()) {
                allowed.addAll(route.methods());
            }
        }
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        if (!allowed.isEmpty()) {
            allowed.add("OPTIONS");
        }
        return allowed;
    }

    /** What the operations at {@code path} answering {@code verb} read and write (see {@link MediaTypes}). */
    public static MediaTypes mediaTypesAt(String path, String verb) {
        List<MediaRoute> known = mediaRoutes;
        if (known == null) {
            known = readMediaRoutes();
            mediaRoutes = known;
        }
        // sorted: the methods of one path come in no fixed order
        Set<String> consumes = new TreeSet<>();
        Set<String> produces = new TreeSet<>();
        for (MediaRoute route : known) {
            if (route.verb().equals(verb) && route.path().matcher(path).matches()) {
                consumes.addAll(route.consumes());
                produces.addAll(route.produces());
            }
        }
        return new MediaTypes(List.copyOf(consumes), List.copyOf(produces));
    }

    private static List<MediaRoute> readMediaRoutes() {
        List<MediaRoute> read = new ArrayList<>();
        for (Operation op : operations()) {
            Class<?> type = op.resourceClass();
            Method method = op.method();
            Consumes consumes = method.isAnnotationPresent(Consumes.class)
                    ? method.getAnnotation(Consumes.class)
                    : type.getAnnotation(Consumes.class);
            Produces produces = method.isAnnotationPresent(Produces.class)
                    ? method.getAnnotation(Produces.class)
                    : type.getAnnotation(Produces.class);
            read.add(new MediaRoute(
                    Pattern.compile(pattern(type, method)),
                    op.verb(),
                    withoutParameters(consumes == null ? null : consumes.value()),
                    withoutParameters(produces == null ? null : produces.value())));
        }
        return List.copyOf(read);
    }

    /** "text/csv;qs=0.5" as "text/csv"; one annotation value may list several types, comma-separated. */
    private static List<String> withoutParameters(String[] declared) {
        if (declared == null) {
            return List.of();
        }
        List<String> types = new ArrayList<>();
        for (String value : declared) {
            for (String type : value.split(",")) {
                String bare = type.split(";", 2)[0].strip();
                if (!bare.isEmpty() && !types.contains(bare)) {
                    types.add(bare);
                }
            }
        }
        return List.copyOf(types);
    }

    /** A resource method with the route template and HTTP method it answers, and the resource class it is of. */
    public record Operation(String template, String verb, Method method, Class<?> resourceClass) {}

    /** Every operation of the application's resource classes. */
    public static List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Class<?> type : resourceClasses()) {
            for (Method method : type.getMethods()) {
                String verb = httpMethod(method);
                if (verb != null) {
                    operations.add(new Operation(template(type, method), verb, method, type));
                }
            }
        }
        return List.copyOf(operations);
    }

    // Quarkus REST makes every resource class a bean, so the container lists them all.
    private static Set<Class<?>> resourceClasses() {
        Set<Class<?>> types = new java.util.LinkedHashSet<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            if (type.isAnnotationPresent(Path.class)) {
                types.add(type);
            }
        }
        return types;
    }

    private static List<Route> routes() {
        List<Route> known = routes;
        if (known == null) {
            known = read();
            routes = known;
        }
        return known;
    }

    private static List<Route> read() {
        Map<String, Set<String>> methodsByTemplate = new LinkedHashMap<>();
        for (Operation op : operations()) {
            methodsByTemplate
                    .computeIfAbsent(pattern(op.resourceClass(), op.method()), k -> new TreeSet<>())
                    .add(op.verb());
        }
        List<Route> read = new ArrayList<>();
        methodsByTemplate.forEach((path, methods) -> read.add(new Route(Pattern.compile(path), Set.copyOf(methods))));
        return List.copyOf(read);
    }

    private static String pattern(Class<?> type, Method method) {
        String declared = declaredPath(type, method);
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PARAMETER.matcher(declared);
        int literalFrom = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(declared.substring(literalFrom, parameter.start())));
            String own = parameter.group(2);
            regex.append(own == null || own.isBlank() ? "[^/]+" : "(?:" + own.strip() + ")");
            literalFrom = parameter.end();
        }
        regex.append(Pattern.quote(declared.substring(literalFrom)));
        return regex + "/?";
    }
}
