package io.tenantml.security.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * The API key format: {@code tml_} + 43 base62 characters (256 random bits) + 6 base62 characters of
 * CRC-32 over everything before them. The checksum lets a mistyped or truncated key be refused without
 * a database lookup, and lets secret scanners recognise real keys.
 */
public final class ApiKeyCodec {

    public static final String PREFIX = "tml_";
    static final int RANDOM_BYTES = 32;
    static final int BODY_CHARS = 43; // ceil(256 / log2(62)) = 43
    static final int CHECKSUM_CHARS = 6; // ceil(32 / log2(62)) = 6
    public static final int LENGTH = PREFIX.length() + BODY_CHARS + CHECKSUM_CHARS;
    /** How much of a key is kept in clear for people to recognise it: the prefix plus 8 characters. */
    public static final int DISPLAY_PREFIX_LENGTH = PREFIX.length() + 8;

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(62);

    private final SecureRandom random;

    public ApiKeyCodec(SecureRandom random) {
        this.random = java.util.Objects.requireNonNull(random, "random");
    }

    public String newKey() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String head = PREFIX + base62(new BigInteger(1, bytes), BODY_CHARS);
        return head + checksum(head);
    }

    /** True when the key has the right shape and its checksum matches; does no I/O. */
    public static boolean isWellFormed(String key) {
        if (key == null || key.length() != LENGTH || !key.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < key.length(); i++) {
            if (ALPHABET.indexOf(key.charAt(i)) < 0) {
                return false;
            }
        }
        String head = key.substring(0, LENGTH - CHECKSUM_CHARS);
        return checksum(head).equals(key.substring(LENGTH - CHECKSUM_CHARS));
    }

    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), DISPLAY_PREFIX_LENGTH));
    }

    static String checksum(String head) {
        CRC32 crc = new CRC32();
        crc.update(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return base62(BigInteger.valueOf(crc.getValue()), CHECKSUM_CHARS);
    }

    private static String base62(BigInteger value, int width) {
        char[] out = new char[width];
        BigInteger rest = value;
        for (int i = width - 1; i >= 0; i--) {
            BigInteger[] qr = rest.divideAndRemainder(BASE);
            out[i] = ALPHABET.charAt(qr[1].intValue());
            rest = qr[0];
        }
        if (rest.signum() != 0) {
            throw new IllegalArgumentException("value does not fit in " + width + " base62 characters");
        }
        return new String(out);
    }
}
