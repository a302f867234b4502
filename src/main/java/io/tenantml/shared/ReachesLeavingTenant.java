package io.tenantml.shared;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets an operator reach a tenant whose offboarding began but did not finish (its status is {@code leaving}):
 * to see it, and to offboard it again, which finishes what an interrupted offboarding left. Every other path of
 * such a tenant answers 404, to every caller.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ReachesLeavingTenant {}
