package io.tenantml.shared.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.testing.TestDatabase;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A clean stop closes the listening connection itself: that is not an outage, so the lost-connection handlers
 * (which log "database unreachable" and shorten the pool's wait) do not run. They did, on every stop.
 */
class ClusterEventsShutdownTest {

    @Test
    void shouldNotReportAnOutageWhenStopClosesTheListeningConnection() throws Exception {
        ClusterEvents events = new ClusterEvents();
        events.url = TestDatabase.SERVER + "postgres";
        events.username = Optional.of(TestDatabase.USER);
        events.password = Optional.empty();
        events.config = OutageGraceTest.config(Duration.ofMinutes(1));
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger resynced = new AtomicInteger();
        events.onLost(lost::incrementAndGet);
        events.onResync(resynced::incrementAndGet);

        events.start(null);
        assertThat(resynced).as("listening on the real server").hasValue(1);
        assertThat(events.live()).isTrue();
        events.stop(null);

        assertThat(lost).as("lost handlers run at a clean stop").hasValue(0);
        assertThat(events.live()).isFalse();
    }
}
