package io.tenantml.shared;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version 7 UUIDs (RFC 9562): 48 bits of Unix milliseconds, then a 42-bit counter and 32 random bits. For
 * identifiers minted on the hot path (prediction ids): {@link UUID#randomUUID()} draws from one shared, locked
 * SecureRandom, which becomes a convoy under concurrent requests, and its unpredictability buys nothing here (an
 * id is only ever looked up within its own tenant). Time order also keeps index inserts of the prediction log
 * local.
 * <p>
 * Ids minted by one thread are strictly increasing (RFC 9562, section 6.2, method 1: a counter seeded at random
 * each millisecond and incremented within it, and the thread's last millisecond kept if the clock steps back),
 * so records one piece of code writes in turn, such as a rule's firing and its suppression in one evaluation,
 * list in the order they were written even within one millisecond. Across threads and nodes, ids are ordered
 * by millisecond only.
 */
public final class TimeOrderedIds {

    /** The counter's bits: 12 in rand_a, 30 at the top of rand_b. Seeded below 2^41: room for 2^41 more. */
    private static final long COUNTER_SEED_MASK = (1L << 41) - 1;

    private static final ThreadLocal<long[]> LAST = ThreadLocal.withInitial(() -> new long[] {-1L, 0L});

    private TimeOrderedIds() {}

    /** When an id of this layout was minted (its top 48 bits); empty for any other UUID (not version 7). */
    public static java.util.Optional<java.time.Instant> mintedAt(UUID id) {
        return id.version() == 7
                ? java.util.Optional.of(java.time.Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16))
                : java.util.Optional.empty();
    }

    public static UUID next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long[] last = LAST.get(); // {millis, counter}
        long now = System.currentTimeMillis();
        if (now > last[0]) {
            last[0] = now;
            last[1] = random.nextLong() & COUNTER_SEED_MASK;
        } else {
            last[1]++;
        }
        long millis = last[0];
        long counter = last[1];
        long high = (millis << 16) | 0x7000L | ((counter >>> 30) & 0x0FFFL);
        long low = 0x8000_0000_0000_0000L | ((counter & 0x3FFF_FFFFL) << 32) | (random.nextInt() & 0xFFFF_FFFFL);
        return new UUID(high, low);
    }
}
