package io.tenantml.security.internal;

import io.quarkus.runtime.Startup;
import io.tenantml.security.SecurityConfig;
import io.tenantml.storage.StorageConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Makes sure an operator can get in on a fresh installation: either the configured bootstrap secret,
 * or a generated operator key written to {@code <data dir>/operator.key} (mode 0600). The log names the
 * file, never the key.
 */
@Startup
@ApplicationScoped
public class OperatorBootstrap {

    private static final Logger LOG = Logger.getLogger(OperatorBootstrap.class);

    @Inject
    SecurityConfig config;

    @Inject
    StorageConfig storage;

    @Inject
    CredentialStore store;

    @Inject
    KeyHasher hasher;

    @Inject
    Clock clock;

    @PostConstruct
    void bootstrap() {
        if (config.bootstrapOperatorKey().isPresent()) {
            if (config.bootstrapOperatorKey().get().length() < 32) {
                throw new IllegalStateException("TENANTML_BOOTSTRAP_OPERATOR_KEY must have at least 32 characters");
            }
            LOG.info("Operator access: the configured bootstrap operator key (TENANTML_BOOTSTRAP_OPERATOR_KEY)");
            return;
        }
        Path file = storage.dataDir().resolve("operator.key").toAbsolutePath().normalize();
        if (store.anyOperatorKey()) {
            LOG.infof("Operator access: an operator key exists (generated earlier into %s)", file);
            return;
        }
        String key = new ApiKeyCodec(new SecureRandom()).newKey();
        writeSecretFile(file, key);
        store.insertOperatorKey(
                UUID.randomUUID(), "bootstrap", ApiKeyCodec.displayPrefix(key), hasher.hash(key), clock.instant());
        LOG.infof("Operator access: generated an operator key into %s (mode 0600)", file);
    }

    private static void writeSecretFile(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(
                    file.getParent(),
                    ".operator",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the operator key to " + file, e);
        }
    }
}
