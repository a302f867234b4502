package io.tenantml.shared;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a resource method. Operators may always call. When the path has a {@code {tenant}}
 * parameter, a non-operator must belong to that tenant (otherwise 404, so that other tenants' existence
 * does not leak) and the tenant context is set to it. A method without this annotation (directly or on
 * its class) is refused to everybody: authorisation fails closed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Access {

    /** Non-operator roles that may call; empty means operators only. */
    Role[] value();

    /** Reads the rule of a resource method as authentication applies it: the method's own, else its class's. */
    final class Rule {

        private Rule() {}

        public static java.util.Optional<Access> of(java.lang.reflect.Method method) {
            return java.util.Optional.ofNullable(method.getAnnotation(Access.class))
                    .or(() -> java.util.Optional.ofNullable(
                            method.getDeclaringClass().getAnnotation(Access.class)));
        }

        /** The roles that may call, operators first; empty when the method declares no rule (nobody may). */
        public static java.util.List<Role> roles(java.lang.reflect.Method method) {
            return of(method)
                    .map(access -> java.util.stream.Stream.concat(
                                    java.util.stream.Stream.of(Role.OPERATOR),
                                    java.util.Arrays.stream(access.value()).filter(r -> r != Role.OPERATOR))
                            .distinct()
                            .toList())
                    .orElse(java.util.List.of());
        }
    }
}
