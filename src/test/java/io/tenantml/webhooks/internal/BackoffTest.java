package io.tenantml.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BackoffTest {

    static final Duration BASE = Duration.ofSeconds(5);
    static final Duration MAX = Duration.ofHours(2);

    @Test
    void shouldDoubleFromTheBaseUpToTheCapWithinAQuarterOfJitter() {
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 1000; i++) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            for (int attempt = 1; attempt <= 30; attempt++) {
                double nominal = Math.min(BASE.toMillis() * Math.pow(2, attempt - 1), MAX.toMillis());
                long delay = DeliveryJob.backoff(id, attempt, BASE, MAX).toMillis();
                assertThat(delay).as("attempt %d of %s", attempt, id).isBetween((long) (nominal * 0.75) - 1, (long)
                        (nominal * 1.25));
            }
        }
    }

    @Test
    void shouldGiveTheSameDelayForTheSameDeliveryAndAttemptButSpreadDeliveries() {
        UUID id = UUID.fromString("01a22b04-a325-7dfd-ba71-d71c5d43ff59");
        assertThat(DeliveryJob.backoff(id, 3, BASE, MAX)).isEqualTo(DeliveryJob.backoff(id, 3, BASE, MAX));
        SplittableRandom random = new SplittableRandom(7);
        Set<Duration> delays = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            delays.add(DeliveryJob.backoff(new UUID(random.nextLong(), random.nextLong()), 5, BASE, MAX));
        }
        assertThat(delays)
                .as("100 deliveries failing together retry at different times")
                .hasSizeGreaterThan(90);
    }

    @Test
    void shouldRetryAboutTwentyTimesOverADayWithTheDefaults() {
        // nominal schedule: 5 s, 10 s, ... doubling to the 2 h cap after 11 attempts (10,235 s), then every 2 h
        UUID id = UUID.fromString("01a22b04-a86f-7990-a2e9-98464359f83d");
        long elapsed = 0;
        int attempts = 1;
        while (true) {
            elapsed += DeliveryJob.backoff(id, attempts, BASE, MAX).toMillis();
            if (elapsed > Duration.ofDays(1).toMillis()) {
                break;
            }
            attempts++;
        }
        assertThat(attempts).isBetween(18, 24);
    }
}
