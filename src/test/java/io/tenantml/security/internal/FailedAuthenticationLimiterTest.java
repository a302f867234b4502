package io.tenantml.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tenantml.security.SecurityConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FailedAuthenticationLimiterTest {

    private static final String ATTACKER = "203.0.113.7";

    private FailedAuthenticationLimiter limiter;
    private SimpleMeterRegistry registry;

    @BeforeEach
    void limiterOfThreeFailuresPerMinute() {
        registry = new SimpleMeterRegistry();
        limiter = new FailedAuthenticationLimiter();
        limiter.config = config(3);
        limiter.registry = registry;
        limiter.init();
    }

    @Test
    void shouldLetACredentialThatVerifiedPassAnAddressThatUsedUpItsFailuresButNoOtherCredential() {
        String storedOperatorKey = "tml_stored_operator_key_0123456789abcdefghijklmnopq";
        String accessToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
        limiter.verified(storedOperatorKey);
        limiter.verified(accessToken);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.refusal(ATTACKER, "tml_guess_" + i)).isEmpty();
            limiter.failed(ATTACKER);
        }

        assertThat(limiter.refusal(ATTACKER, "tml_guess_3")).isPresent();
        assertThat(limiter.refusal(ATTACKER, null)).as("no credential at all").isPresent();
        assertThat(limiter.refusal(ATTACKER, storedOperatorKey)).isEmpty();
        assertThat(limiter.refusal(ATTACKER, accessToken)).isEmpty();
        assertThat(limiter.refusal(ATTACKER, accessToken + "x"))
                .as("a token that differs from a verified one")
                .isPresent();
        assertThat(limiter.refusal("198.51.100.1", "tml_guess_4"))
                .as("another address")
                .isEmpty();
        assertThat(registry.counter(FailedAuthenticationLimiter.THROTTLED).count())
                .as("only refusals count as throttled")
                .isEqualTo(3);
        assertThat(registry.counter(FailedAuthenticationLimiter.FAILURES).count())
                .isEqualTo(3);
    }

    private static SecurityConfig config(int perMinute) {
        return new TestSecurityConfig(
                Optional.empty(),
                Optional.empty(),
                Duration.ofSeconds(2),
                new TestSecurityConfig.Limits(perMinute, 100, Duration.ofMinutes(10), 100));
    }
}
