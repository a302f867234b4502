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
        assertThat(TimeOrderedIds.mintedAt(last).orElseThrow().toEpochMilli()).isBetween(before, after);
        assertThat(TimeOrderedIds.mintedAt(UUID.randomUUID()))
                .as("a version 4 id has no time")
                .isEmpty();
    }

    /**
     * A rule's firing and its suppression are written in turn by one evaluation, often within one millisecond,
     * and listed by id: ids of one thread must be strictly increasing, both as Java compares them and as
     * PostgreSQL does (bytewise, unsigned).
     */
    @Test
    void shouldMintStrictlyIncreasingIdsOnOneThreadEvenWithinOneMillisecond() {
        UUID previous = TimeOrderedIds.next();
        int withinOneMillisecond = 0;
        for (int i = 0; i < 100_000; i++) {
            UUID next = TimeOrderedIds.next();
            assertThat(next).as("id %d after %s", i, previous).isGreaterThan(previous);
            assertThat(bytewise(next, previous))
                    .as("id %d after %s, bytewise", i, previous)
                    .isPositive();
            if (next.getMostSignificantBits() >>> 16 == previous.getMostSignificantBits() >>> 16) {
                withinOneMillisecond++;
            }
            previous = next;
        }
        assertThat(withinOneMillisecond)
                .as("pairs minted within one millisecond")
                .isGreaterThan(1_000);
    }

    private static int bytewise(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
