package io.tenantml.security;

import io.tenantml.storage.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Secrets the platform makes for itself when the operator configured none (the API key hash secret, the key
 * that encrypts webhook signing secrets): one file per secret in {@code <data dir>/secrets/}, mode 0600, made
 * once by whichever node asks first and read by every node after, since they share the data directory. A
 * warning says to set the secret explicitly in production, where the data directory is no place for it.
 */
@ApplicationScoped
public class PlatformSecrets {

    private static final Logger LOG = Logger.getLogger(PlatformSecrets.class);
    private static final int RANDOM_BYTES = 32;
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    StorageConfig storage;

    /**
     * The secret in {@code <data dir>/secrets/<name>}, made first if missing: 32 random bytes as 64 lowercase hex
     * characters, which is what is returned (trimmed) then and on every later call, on every node.
     *
     * @param property the configuration property that would have given it, named in the warning
     * @param usedFor what the secret protects, for the warning
     */
    public String generated(String name, String property, String usedFor) {
        Path file = storage.dataDir().resolve("secrets").resolve(name);
        try {
            if (!Files.exists(file)) {
                create(file, property, usedFor);
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + " (or set " + property + ")", e);
        }
    }

    private static void create(Path file, String property, String usedFor) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] fresh = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(fresh);
        Path tmp = Files.createTempFile(file.getParent(), "secret", ".tmp", OWNER_ONLY);
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                out.write(StandardCharsets.US_ASCII.encode(HexFormat.of().formatHex(fresh)));
                out.force(true);
            }
            // A link, unlike a rename, fails when the name exists: of nodes starting at once, the first one's
            // secret is the one every node reads (a rename would replace it, and the nodes that had read it would
            // hash or encrypt under a secret the others do not have). The file is whole before it has the name.
            Files.createLink(file, tmp);
            LOG.warnf("No %s configured; created %s. Set it explicitly in production (%s).", property, file, usedFor);
        } catch (FileAlreadyExistsException raced) {
            // another node made it first: read its secret
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
