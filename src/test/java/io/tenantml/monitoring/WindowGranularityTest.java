package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowGranularityTest {

    @Test
    void shouldStartHoursDaysAndWeeksOnUtcBoundariesWithWeeksFromMonday() {
        Instant t = Instant.parse("2026-11-29T17:42:05.123Z"); // a Sunday
        assertThat(WindowGranularity.HOUR.floor(t)).isEqualTo(Instant.parse("2026-11-29T17:00:00Z"));
        assertThat(WindowGranularity.DAY.floor(t)).isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));
        assertThat(WindowGranularity.WEEK.floor(t)).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        Instant monday = Instant.parse("2026-11-30T00:00:00Z");
        assertThat(WindowGranularity.WEEK.floor(monday)).isEqualTo(monday);
        assertThat(WindowGranularity.WEEK.end(monday)).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(WindowGranularity.fromWire("day")).contains(WindowGranularity.DAY);
        assertThat(WindowGranularity.fromWire("DAY")).isEmpty();
    }
}
