package io.tenantml.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowRangeSplitTest {

    private static final Instant HOUR_0 = Instant.parse("2026-11-29T06:00:00Z");

    @Test
    void shouldSplitTheRangeAtAnHourBoundaryNearItsMiddleSoThatNoWindowIsSplit() {
        Instant from = HOUR_0;
        Instant until = Instant.parse("2026-11-29T16:57:34Z"); // 11 hourly windows, the last one open
        List<Instant[]> ranges = WindowRunHandler.split(from, until, 2);
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)[0]).isEqualTo(from);
        assertThat(ranges.get(0)[1]).isEqualTo(ranges.get(1)[0]);
        assertThat(ranges.get(1)[1]).isEqualTo(until);
        assertThat(ranges.get(0)[1]).isEqualTo(Instant.parse("2026-11-29T11:00:00Z"));
    }

    @Test
    void shouldKeepOneRangeWithinOneHourOrForOnePart() {
        Instant from = Instant.parse("2026-11-29T06:10:00Z");
        Instant until = Instant.parse("2026-11-29T06:50:00Z");
        assertThat(WindowRunHandler.split(from, until, 2)).singleElement().satisfies(r -> {
            assertThat(r[0]).isEqualTo(from);
            assertThat(r[1]).isEqualTo(until);
        });
        assertThat(WindowRunHandler.split(HOUR_0, HOUR_0.plusSeconds(36_000), 1))
                .hasSize(1);
    }

    @Test
    void shouldCutAtTheOnlyBoundaryOfARangeOverTwoHours() {
        Instant from = Instant.parse("2026-11-29T06:30:00Z");
        Instant until = Instant.parse("2026-11-29T07:10:00Z");
        List<Instant[]> ranges = WindowRunHandler.split(from, until, 2);
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)[1]).isEqualTo(Instant.parse("2026-11-29T07:00:00Z"));
        assertThat(ranges.get(1)[1]).isEqualTo(until);
    }
}
