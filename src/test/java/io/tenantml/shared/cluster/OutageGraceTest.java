package io.tenantml.shared.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: while the listening connection is down (the database restarting), caches keep answering from
 * what they held for a bounded grace period, never cache what is loaded meanwhile, and a grace of 0 keeps
 * the fail-closed behaviour.
 */
class OutageGraceTest {

    static ClusterConfig config(Duration grace) {
        return new ClusterConfig() {
            @Override
            public Duration cacheTtl() {
                return Duration.ofMinutes(10);
            }

            @Override
            public int cacheMaxEntries() {
                return 100;
            }

            @Override
            public Duration reconnectDelay() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration outageGrace() {
                return grace;
            }

            @Override
            public Duration outageAcquisitionTimeout() {
                return Duration.ofMillis(200);
            }
        };
    }

    private static ClusterEvents events(Duration grace) {
        ClusterEvents events = new ClusterEvents();
        events.config = config(grace);
        return events;
    }

    @Test
    void shouldAnswerFromTheCacheDuringTheGracePeriodOnly() {
        ClusterEvents events = events(Duration.ofMinutes(3));
        InvalidatedCache<String, String> cache = new InvalidatedCache<>(events, events.config);
        events.connected();
        assertThat(cache.get("key", k -> "cached")).isEqualTo("cached");

        events.lost(System.nanoTime());
        assertThat(cache.getIfPresent("key")).isEqualTo("cached");
        assertThat(cache.get("key", k -> "read while down")).isEqualTo("cached");
        assertThat(cache.get("other", k -> "read while down")).isEqualTo("read while down");
        assertThat(cache.getIfPresent("other"))
                .as("nothing new is cached while down")
                .isNull();

        events.connected();
        events.lost(System.nanoTime() - Duration.ofMinutes(3).plusSeconds(1).toNanos());
        assertThat(cache.getIfPresent("key")).as("past the grace period").isNull();
    }

    @Test
    void shouldFailClosedWithAGraceOfZero() {
        ClusterEvents events = events(Duration.ZERO);
        InvalidatedCache<String, String> cache = new InvalidatedCache<>(events, events.config);
        events.connected();
        cache.get("key", k -> "cached");
        events.lost(System.nanoTime());
        assertThat(cache.getIfPresent("key")).isNull();
        assertThat(events.trusted()).isFalse();
    }

    @Test
    void shouldTrustNothingBeforeTheFirstConnection() {
        ClusterEvents events = events(Duration.ofMinutes(3));
        events.lost(System.nanoTime());
        assertThat(events.trusted()).isFalse();
    }
}
