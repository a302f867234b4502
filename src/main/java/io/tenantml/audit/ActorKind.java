package io.tenantml.audit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How an actor was identified. A person's or client's kind is the credential it presented
 * ({@code PlatformPrincipal.credential}); the {@code actor_kind} column holds the wire names, which are part of each
 * entry's hash and so can never be renamed.
 */
public enum ActorKind {
    /** An API key. */
    API_KEY("api-key"),
    /** An access token of the identity provider. */
    OIDC("oidc"),
    /** The operator key of the platform's first start. */
    BOOTSTRAP("bootstrap"),
    /** A part of the platform acting on its own (a job, an automatic rollback). */
    SYSTEM("system");

    private final String wireName;

    ActorKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static ActorKind fromWire(String value) {
        for (ActorKind v : values()) {
            if (v.wireName.equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown ActorKind '" + value + "'");
    }
}
