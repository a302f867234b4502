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
