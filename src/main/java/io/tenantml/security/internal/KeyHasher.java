package io.tenantml.security.internal;

import io.tenantml.security.PlatformSecrets;
import io.tenantml.security.SecurityConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys are stored only as HMAC-SHA-256 under a server secret, so a stolen key table is useless without
 * the secret. The secret comes from config; without one, a random secret is created once in the data
 * directory (which every node shares with the blob store) and a warning says to set it explicitly.
 */
@ApplicationScoped
public class KeyHasher {

    @Inject
    SecurityConfig config;

    @Inject
    PlatformSecrets secrets;

    private SecretKeySpec secret;
    /**
     * One initialised Mac per thread: every request hashes its key, and Mac.getInstance (provider lookup
     * and JCE verification) costs more than the hash. doFinal resets the Mac for the next use.
     */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    @PostConstruct
    void init() {
        byte[] material = config.keyHashSecret()
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                // the generated secret's hex text, as ever: API keys hashed under it before still verify
                .orElseGet(() -> secrets.generated(
                                "key-hash.secret", "tenantml.security.key-hash-secret", "API keys are hashed with it")
                        .getBytes(StandardCharsets.UTF_8));
        if (material.length < 32) {
            throw new IllegalStateException("tenantml.security.key-hash-secret must be at least 32 bytes");
        }
        secret = new SecretKeySpec(material, "HmacSHA256");
    }

    public byte[] hash(String key) {
        return macs.get().doFinal(key.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of two hashes. */
    public static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
