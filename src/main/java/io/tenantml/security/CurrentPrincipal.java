package io.tenantml.security;

import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/** The principal of the current request, set once by the authentication step. */
@RequestScoped
public class CurrentPrincipal {

    private PlatformPrincipal principal;

    /** Called once per request by the authentication step; nothing else may set a principal. */
    public void set(PlatformPrincipal verified) {
        if (principal != null) {
            throw new IllegalStateException("principal already set");
        }
        principal = verified;
    }

    public Optional<PlatformPrincipal> get() {
        return Optional.ofNullable(principal);
    }

    public PlatformPrincipal require() {
        if (principal == null) {
            throw new IllegalStateException("no authenticated principal");
        }
        return principal;
    }

    /** For audit columns: "role:subject". */
    public String actor() {
        return get().map(p -> p.role().wireName() + ":" + p.subject()).orElse("system");
    }
}
