package io.tenantml.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void shouldMintVersion7UuidsWithTheCurrentTimeAndNoRepeats() {
        long before = System.currentTimeMillis();
        Set<UUID> seen = new HashSet<>();
        UUID last = null;
        for (int i = 0; i < 100_000; i++) {
            last = TimeOrderedIds.next();
            assertThat(seen.add(last)).as("repeat after %d ids", i).isTrue();
            assertThat(last.version()).isEqualTo(7);
            assertThat(last.variant()).isEqualTo(2); // RFC 9562 variant (binary 10)
        }
        long after = System.currentTimeMillis();
        long millis = last.getMostSignificantBits() >>> 16;
        assertThat(millis).isBetween(before, after);
    }
}
