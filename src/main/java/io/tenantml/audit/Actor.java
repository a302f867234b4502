package io.tenantml.audit;

import java.util.Objects;

/**
 * Who did something.
 *
 * @param kind    how the actor was identified
 * @param subject the API key's id, the token's subject, or the system part's name
 * @param role    the role the actor acted in
 */
public record Actor(ActorKind kind, String subject, ActorRole role) {

    public Actor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
    }

    /** A part of the platform acting on its own (the scheduler, automatic promotion or rollback). */
    public static Actor system(String name) {
        return new Actor(ActorKind.SYSTEM, name, ActorRole.SYSTEM);
    }
}
