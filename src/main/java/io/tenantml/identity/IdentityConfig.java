package io.tenantml.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "tenantml.identity")
public interface IdentityConfig {

    /** Accept Keycloak access tokens beside API keys; false: API keys only, and Keycloak is never contacted. */
    @WithDefault("false")
    boolean oidcEnabled();

    /** The audience every accepted access token must name (Keycloak's audience mapper puts it in {@code aud}). */
    @WithDefault("tenantml-api")
    String audience();

    /** The longest one token verification may wait for the identity provider (its keys are cached after that). */
    @WithDefault("10s")
    Duration verifyTimeout();

    /**
     * How long a deleted integration client's revocation is kept: the tokens it held are refused while it is. Keep
     * it above the longest access token lifetime the realm or any client may set (the realm's
     * {@code accessTokenLifespan}, 300 s) plus {@code tenantml.security.token-clock-skew}: a token issued before
     * the revocation has expired by then, so its signature check refuses it without the revocation. Shorter would
     * let a deleted client's last tokens work again until they expire.
     */
    @WithDefault("1h")
    Duration revocationRetention();

    Provisioning provisioning();

    interface Provisioning {

        /** Create and remove each tenant's organization, integration client and admin user in Keycloak. */
        @WithDefault("false")
        boolean enabled();

        /** The Keycloak realm that holds the tenants (the admin client may authenticate in another). */
        @WithDefault("tenantml")
        String realm();

        /** Whether an onboarded admin must replace the generated password at first sign-in. */
        @WithDefault("true")
        boolean temporaryAdminPassword();

        /**
         * The longest one admin call to Keycloak waits for a connection, and then for each part of the answer:
         * a Keycloak that accepts connections but never answers costs a request this long per call, not its JTA
         * transaction (60 s), and is answered 503 {@code identity-provider-unavailable}. An onboarding makes
         * two calls after a failure at most (the failing one and the clean-up), so keep it under a third of
         * the transaction timeout.
         */
        @WithDefault("10s")
        Duration timeout();
    }
}
