package io.tenantml.audit;

import java.util.Objects;

/**
 * Who did something.
 *
 * @param kind    how the actor was identified: {@code api-key}, {@code oidc}, {@code bootstrap} (the operator
 *                key of the platform's first start) or {@code system} (a job, an automatic rollback)
 * @param subject the API key's id, the token's subject, or the system part's name
 * @param role    the role the actor acted in ({@code operator}, {@code admin}, {@code integration}, {@code system})
 */
public record Actor(String kind, String subject, String role) {

    public static final String SYSTEM = "system";

    public Actor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
    }

    /** A part of the platform acting on its own (the scheduler, automatic promotion or rollback). */
    public static Actor system(String name) {
        return new Actor(SYSTEM, name, SYSTEM);
    }
}
