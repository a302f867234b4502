package io.tenantml.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantml.shared.Role;
import java.util.Locale;

/**
 * The role an actor acted in: a caller's {@link Role}, or {@link #SYSTEM} for the platform itself, which has no
 * role a caller could hold (so it is not one of {@link Role}'s). The {@code role} column holds the wire names, part
 * of each entry's hash.
 */
public enum ActorRole {
    OPERATOR,
    ADMIN,
    INTEGRATION,
    SYSTEM;

    public static ActorRole of(Role role) {
        return switch (role) {
            case OPERATOR -> OPERATOR;
            case ADMIN -> ADMIN;
            case INTEGRATION -> INTEGRATION;
        };
    }

    /** As the API and the database write it: lower case. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ActorRole fromWire(String value) {
        for (ActorRole v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown ActorRole '" + value + "'");
    }
}
