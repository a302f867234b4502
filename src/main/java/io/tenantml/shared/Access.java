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
}
