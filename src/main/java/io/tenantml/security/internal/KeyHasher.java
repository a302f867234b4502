package io.tenantml.security.internal;

import io.tenantml.security.SecurityConfig;
import io.tenantml.storage.StorageConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Keys are stored only as HMAC-SHA-256 under a server secret, so a stolen key table is useless without
 * the secret. The secret comes from config; without one, a random secret is created once in the data
 * directory (which every node shares with the blob store) and a warning says to set it explicitly.
 */
@ApplicationScoped
public class KeyHasher {

    private static final Logger LOG = Logger.getLogger(KeyHasher.class);

    @Inject
    SecurityConfig config;

    @Inject
    StorageConfig storage;

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
                .orElseGet(this::secretFromDataDir);
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

    private byte[] secretFromDataDir() {
        Path file = storage.dataDir().resolve("secrets").resolve("key-hash.secret");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path tmp = Files.createTempFile(
                        file.getParent(),
                        "secret",
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, HexFormat.of().formatHex(fresh), StandardOpenOption.TRUNCATE_EXISTING);
                try {
                    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    Files.deleteIfExists(tmp); // another node won the race: use its secret
                }
                LOG.warnf(
                        "No tenantml.security.key-hash-secret configured; created %s. Set the secret "
                                + "explicitly in production (API keys are hashed with it).",
                        file);
            }
            return Files.readString(file).trim().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
