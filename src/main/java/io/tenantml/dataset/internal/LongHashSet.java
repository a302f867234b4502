package io.tenantml.dataset.internal;

/**
 * A set of 64-bit hashes with open addressing: 8 bytes per primary key instead of a boxed string, so that
 * duplicate detection over millions of keys fits a small heap. Two keys colliding in 64 bits are taken for
 * a duplicate; at 5 million keys the chance of any collision is below 1e-6.
 */
final class LongHashSet {

    private long[] table = new long[1 << 10];

    /** The 64-bit hash a string key is stored under: FNV-1a, spread by MurmurHash3's 64-bit finaliser. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= key.length();
        // FNV's low bits are weak; the finaliser mixes every bit into every other.
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private boolean hasZero;
    private int size;

    /** @return false if the value was already present */
    boolean add(long value) {
        if (value == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if (size * 2 >= table.length) {
            grow();
        }
        if (insert(table, value)) {
            size++;
            return true;
        }
        return false;
    }

    private static boolean insert(long[] table, long value) {
        int mask = table.length - 1;
        int i = (int) (value ^ (value >>> 32)) & mask;
        while (table[i] != 0) {
            if (table[i] == value) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = value;
        return true;
    }

    private void grow() {
        long[] bigger = new long[table.length * 2];
        for (long v : table) {
            if (v != 0) {
                insert(bigger, v);
            }
        }
        table = bigger;
    }
}
