package io.tenantml.security;

import java.util.Optional;

/**
 * One way of turning a bearer credential into a principal (API keys, OIDC access tokens). Every
 * verifier is an application-scoped CDI bean; the authentication step asks each, in {@link #priority()}
 * order, whether it {@link #accepts} the token's shape, and the first that accepts decides. A verifier
 * that accepts a token and cannot verify it answers {@link Verification#rejected}: no other verifier is
 * tried, so a malformed API key is never sent to an identity provider and the other way round.
 */
public interface CredentialVerifier {

    boolean accepts(String bearerToken);

    /** Verifies the token; may block (database, identity provider). Called on a worker thread. */
    Verification verify(String bearerToken);

    /**
     * The verification when it needs no I/O (a credential verified recently and still valid, or one that
     * is malformed), or empty when {@link #verify} must run. Called on the I/O thread, so it must not
     * block: it is what lets a request with a known credential go through without a thread hop.
     */
    default Optional<Verification> verifyInMemory(String bearerToken) {
        return Optional.empty();
    }

    default int priority() {
        return 100;
    }

    sealed interface Verification {
        static Verification verified(PlatformPrincipal principal) {
            return new Verified(principal);
        }

        static Verification rejected(String reason) {
            return new Rejected(reason);
        }

        /** A valid credential that carries no usable tenant: 403, not 401. */
        static Verification forbidden(String reason) {
            return new Forbidden(reason);
        }
    }

    record Verified(PlatformPrincipal principal) implements Verification {}

    record Rejected(String reason) implements Verification {}

    record Forbidden(String reason) implements Verification {}

    /** Exposed for verifiers that need it: the current principal lookup does not go through here. */
    default Optional<String> name() {
        return Optional.of(getClass().getSimpleName());
    }
}
