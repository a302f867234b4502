package io.tenantml.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "tenantml.security")
public interface SecurityConfig {

    /** Server secret for the HMAC under which API keys are stored (32+ bytes). Unset: one is created in the data dir. */
    Optional<String> keyHashSecret();

    /** An operator credential from a secret manager (32+ characters); unset: a generated key is written to the data dir. */
    Optional<String> bootstrapOperatorKey();

    /**
     * How much earlier than its tenant's creation an access token may say it was issued ({@code iat}, whole seconds,
     * by the identity provider's clock) and still be taken for that tenant; a token issued earlier than that belongs
     * to an earlier tenant of the same id, offboarded since, and is refused. {@code iat} is floored to the second, so
     * this is at least one second plus how far the provider's clock may run behind the platform's.
     */
    @WithDefault("2s")
    Duration tokenClockSkew();

    /**
     * How long before an API key's end the tenant is told of it ({@code api_key.expiring}, on its event feed and to
     * its webhooks): enough for an integration's owners to put a new key in.
     */
    @WithDefault("P7D")
    Duration keyExpiryWarning();

    /** The limit on failed authentications per client address. */
    FailedAuthentications failedAuthentications();

    interface FailedAuthentications {
        /**
         * Failed authentications a client address may make per minute (and in a burst) before it gets 429
         * for every request that would need a credential lookup; credentials that verified recently still pass.
         */
        @WithDefault("60")
        int perMinute();

        /** Client addresses whose buckets are kept (least recently seen forgotten first). */
        @WithDefault("100000")
        int maxAddresses();

        /**
         * How long a credential that verified (an API key, a stored operator key, an access token) is exempt
         * from its address's throttling: whoever shares an address with an attacker keeps working.
         */
        @WithDefault("10m")
        Duration verifiedExemption();

        /** Verified credentials remembered for the exemption (least recently verified forgotten first). */
        @WithDefault("100000")
        int maxVerified();
    }
}
