package io.tenantml.statistics;

import org.apache.datasketches.hash.MurmurHash3;

/**
 * A 64-bit hash of bytes that is the same on every JVM and in every release: the first half of MurmurHash3 x64
 * 128 with seed 0 (the hash DataSketches' sketches use, reached through here so that statistics stays the one
 * user of the library). For what must never move once written, such as which side of a split a row is on.
 */
public final class StableHash {

    private StableHash() {}

    /** The hash of {@code bytes[offset, offset + length)}. */
    public static long of(byte[] bytes, int offset, int length) {
        return MurmurHash3.hash(bytes, offset, length, 0L)[0];
    }
}
