package io.tenantml.shared;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version 7 UUIDs (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. For identifiers minted on
 * the hot path (prediction ids): {@link UUID#randomUUID()} draws from one shared, locked SecureRandom, which
 * becomes a convoy under concurrent requests, and its unpredictability buys nothing here (an id is only
 * ever looked up within its own tenant). Time order also keeps index inserts of the prediction log local.
 */
public final class TimeOrderedIds {

    private TimeOrderedIds() {}

    public static UUID next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
