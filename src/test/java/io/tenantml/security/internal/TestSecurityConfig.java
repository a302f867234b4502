package io.tenantml.security.internal;

import io.tenantml.security.SecurityConfig;
import java.time.Duration;
import java.util.Optional;

/** Security settings for unit tests that build the security beans by hand: exactly the values the test names. */
record TestSecurityConfig(
        Optional<String> keyHashSecret,
        Optional<String> bootstrapOperatorKey,
        Duration tokenClockSkew,
        FailedAuthentications failedAuthentications)
        implements SecurityConfig {

    /** Not read by the beans these tests build by hand. */
    @Override
    public Duration keyExpiryWarning() {
        return Duration.ofDays(7);
    }

    /** The failed-authentication limits of a test. */
    record Limits(int perMinute, int maxAddresses, Duration verifiedExemption, int maxVerified)
            implements SecurityConfig.FailedAuthentications {}
}
