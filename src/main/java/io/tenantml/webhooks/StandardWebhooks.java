package io.tenantml.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The symmetric scheme of the Standard Webhooks specification: secrets are {@code whsec_} + base64 of 24 to 64
 * random bytes; a message is signed as {@code v1,} + base64(HMAC-SHA256(secret bytes, id + "." + timestamp +
 * "." + body)), the timestamp in Unix seconds. Public so receivers in tests verify with the same rules.
 */
public final class StandardWebhooks {

    public static final String SECRET_PREFIX = "whsec_";
    public static final int MIN_SECRET_BYTES = 24;
    public static final int MAX_SECRET_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StandardWebhooks() {}

    /** A new secret of 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The key bytes of a {@code whsec_} secret.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static byte[] key(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("secret must start with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret after " + SECRET_PREFIX + " must be base64");
        }
        if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "secret must hold " + MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES + " bytes, holds " + key.length);
        }
        return key;
    }

    /** The {@code webhook-signature} value of a message. */
    public static String sign(String secret, String id, long timestampSeconds, byte[] body) {
        if (id.indexOf('.') >= 0) {
            throw new IllegalArgumentException("a message id may not contain '.'");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * The {@code webhook-signature} value of a message signed with each of several secrets, in their order, space
     * separated: what the specification allows so that a receiver verifying with any one of them accepts the message
     * while a secret is rotated.
     */
    public static String sign(List<String> secrets, String id, long timestampSeconds, byte[] body) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a message is signed with at least one secret");
        }
        StringJoiner header = new StringJoiner(" ");
        for (String secret : secrets) {
            header.add(sign(secret, id, timestampSeconds, body));
        }
        return header.toString();
    }

    /**
     * Whether one of the space-separated signatures of a {@code webhook-signature} header is the message's
     * {@code v1} signature (compared in constant time).
     */
    public static boolean verify(String secret, String id, long timestampSeconds, byte[] body, String header) {
        if (header == null) {
            return false;
        }
        byte[] expected = sign(secret, id, timestampSeconds, body).getBytes(StandardCharsets.US_ASCII);
        boolean found = false;
        for (String candidate : header.trim().split(" +")) {
            found |= java.security.MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return found;
    }
}
