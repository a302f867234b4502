package io.tenantml.shared;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum Role {
    /** Platform staff: manages tenants and may act on any tenant. */
    OPERATOR,
    /** A tenant's administrator. */
    ADMIN,
    /** A tenant's machine client: data in, predictions out, no administration. */
    INTEGRATION;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role fromWire(String value) {
        for (Role role : values()) {
            if (role.wireName().equals(value)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + value + "' (expected operator, admin or integration)");
    }
}
