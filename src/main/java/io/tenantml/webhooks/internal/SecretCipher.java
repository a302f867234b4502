package io.tenantml.webhooks.internal;

import io.tenantml.shared.TenantId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signing secrets at rest. Signing needs the secret itself, so it cannot be hashed like an API key; it is
 * encrypted with AES-256-GCM under the platform's webhook key instead, so that a database dump or a read-only SQL
 * injection yields nothing that signs. Stored as {@code v1:<key id>:<base64(nonce | ciphertext and tag)>}:
 *
 * <ul>
 *   <li>a fresh random 12-byte nonce per secret (never one nonce twice under a key);
 *   <li>the tenant and the endpoint id as associated data, so a value copied into another endpoint's row, of the
 *       same tenant or another, does not decrypt there. The endpoint id is known before the insert (it is made in
 *       Java, {@code TimeOrderedIds}), so it can be bound from the first write;
 *   <li>the key id (the first 8 bytes of the key's SHA-256, in hex) tells a wrong key from a damaged value with a
 *       clear error, and lets a later rotation know which key a value needs. Only a key's fingerprint: it says
 *       nothing usable about the key.
 *   <li>a previous secret (kept after a secret rotation for its overlap, {@link #sealPrevious}) is bound to
 *       associated data of its own that also names its expiry: copied into the current secret's column it does not
 *       decrypt (so a replaced, maybe leaked, secret cannot be made current again by swapping the two values), the
 *       current one copied into the previous column does not either, and a later expiry written beside it makes it
 *       unreadable rather than extending its overlap. What it cannot tell is an older value of the same slot put
 *       back (a restore of the row as it was before the rotation).
 * </ul>
 */
public final class SecretCipher {

    /** What every encrypted value starts with; a value without it was written in clear, before encryption. */
    public static final String PREFIX = "v1:";

    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;

    /** @throws IllegalArgumentException unless the key has 32 bytes */
    public SecretCipher(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the webhook secret key must have " + KEY_BYTES + " bytes, has " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.keyId = keyId(key);
    }

    /** The first 8 bytes of the key's SHA-256, in hex. */
    static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    public String keyId() {
        return keyId;
    }

    /** Whether a stored value is encrypted (any key); false for a secret still in clear. */
    public static boolean encrypted(String stored) {
        return stored.startsWith(PREFIX);
    }

    /** The id of the key a stored value was encrypted under; empty for a value in clear or without one. */
    public static String keyIdOf(String stored) {
        if (!encrypted(stored)) {
            return "";
        }
        int colon = stored.indexOf(':', PREFIX.length());
        return colon < 0 ? "" : stored.substring(PREFIX.length(), colon);
    }

    /** The value to store for an endpoint's (current) secret. */
    public String seal(String secret, TenantId tenant, UUID endpoint) {
        return seal(secret, currentAad(tenant, endpoint));
    }

    /** The value to store for an endpoint's previous secret, which signs until {@code until}. */
    public String sealPrevious(String secret, TenantId tenant, UUID endpoint, Instant until) {
        return seal(secret, previousAad(tenant, endpoint, until));
    }

    private String seal(String secret, byte[] aad) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, aad);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return PREFIX + keyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * The secret of an endpoint from its stored value.
     *
     * @throws Unreadable when the value is in clear, under another key, damaged, or another endpoint's
     */
    public String open(String stored, TenantId tenant, UUID endpoint) throws Unreadable {
        return open(stored, currentAad(tenant, endpoint), false);
    }

    /**
     * The previous secret of an endpoint from its stored value and the expiry stored beside it.
     *
     * @throws Unreadable as {@link #open}, and when the value is not this endpoint's previous secret until
     *     {@code until} (the current secret's value, or the expiry changed)
     */
    public String openPrevious(String stored, TenantId tenant, UUID endpoint, Instant until) throws Unreadable {
        return open(stored, previousAad(tenant, endpoint, until), true);
    }

    private String open(String stored, byte[] aad, boolean previous) throws Unreadable {
        String what = previous ? "previous signing secret" : "signing secret";
        if (!encrypted(stored)) {
            throw new Unreadable(
                    "the " + what + " is not stored encrypted",
                    previous
                            // no version ever wrote a previous secret in clear: nothing encrypts one
                            ? "its previous secret is stored in clear, which no version writes: refused"
                            : "its secret is stored in clear (written by an earlier version after this node encrypted"
                                    + " the clear ones at start?): refused; the next start of a node encrypts it");
        }
        int colon = stored.indexOf(':', PREFIX.length());
        String storedKeyId = keyIdOf(stored);
        if (!storedKeyId.equals(keyId)) {
            throw new Unreadable(
                    "the " + what + " cannot be decrypted: the platform's webhook key does not match the one it "
                            + "was encrypted with",
                    "the key does not match: its " + (previous ? "previous " : "") + "secret was encrypted under "
                            + "webhook key " + storedKeyId + ", the configured key (tenantml.webhooks.secret-key) is "
                            + keyId + "; give the key it was encrypted with (tenantml.webhooks.previous-secret-keys),"
                            + " or the tenant re-creates the endpoint");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            in = new byte[0];
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new Unreadable(
                    "the stored " + what + " is damaged",
                    "its stored " + (previous ? "previous " : "") + "secret is damaged (not base64, or too short)");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(in, NONCE_BYTES), aad);
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new Unreadable(
                    "the " + what + " does not decrypt for this endpoint",
                    previous
                            ? "its stored previous secret does not decrypt for this endpoint under the right key: "
                                    + "altered, its expiry changed, or copied from another endpoint's row or from the "
                                    + "secret column"
                            : "its stored secret does not decrypt for this endpoint under the right key: altered, or "
                                    + "copied from another endpoint's row or from the previous secret column");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad);
        return cipher;
    }

    // Tenant ids hold no line break and the UUID has a fixed length: each text names one pair only. The current
    // secret's text is the one V105 sealed every value with, unchanged; the previous secret's differs from its first
    // line on, so that neither value decrypts in the other's place.
    private static byte[] currentAad(TenantId tenant, UUID endpoint) {
        return ("tenantml webhook secret v1\n" + Objects.requireNonNull(tenant).value() + "\n"
                        + Objects.requireNonNull(endpoint))
                .getBytes(StandardCharsets.UTF_8);
    }

    // The expiry in microseconds since the epoch: what PostgreSQL's timestamptz keeps of it, so the value read back
    // names the same instant.
    private static byte[] previousAad(TenantId tenant, UUID endpoint, Instant until) {
        return ("tenantml webhook previous secret v1\n"
                        + Objects.requireNonNull(tenant).value() + "\n"
                        + Objects.requireNonNull(endpoint) + "\n"
                        + ChronoUnit.MICROS.between(Instant.EPOCH, Objects.requireNonNull(until)))
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A stored secret that cannot be used.
     *
     * @see #reason() what the tenant's delivery log says
     * @see #getMessage() what the operator's log says, after the endpoint's name
     */
    public static final class Unreadable extends Exception {
        private final String reason;

        Unreadable(String reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
