package io.tenantml.shared;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts a mutating resource method from the audit trail, which otherwise records every successful
 * POST, PUT, PATCH and DELETE. Only for the data plane (predictions, feedback, queries), never for a
 * change of configuration; the reason is shown by the coverage test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NotAudited {

    /** Why this operation is not an administrative change worth an entry. */
    String value();
}
