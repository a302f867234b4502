package io.tenantml.storage.internal;

import io.quarkus.runtime.StartupEvent;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Every node, at start, deletes the uncommitted writes a dead node left in the blob store
 * ({@link StorageConfig#abandonedWriteAfter()}). A SIGKILL while an upload stored its rows, a batch wrote its
 * results or a build its index left a half-written file in the tenant's directory, counted in its
 * {@code storedBytes} and billed as stored every day, with nothing else ever to remove it (the redone work
 * writes a file of its own).
 */
@ApplicationScoped
class AbandonedWritesSweep {

    private static final Logger LOG = Logger.getLogger(AbandonedWritesSweep.class);

    @Inject
    BlobStore blobs;

    @Inject
    StorageConfig config;

    @Inject
    Clock clock;

    void sweep(@Observes StartupEvent event) {
        try {
            int deleted = blobs.deleteAbandonedWrites(clock.instant().minus(config.abandonedWriteAfter()));
            if (deleted > 0) {
                LOG.warnf("Deleted %d half-written blobs of writes that died", deleted);
            }
        } catch (IOException e) {
            LOG.error("Could not sweep half-written blobs of writes that died", e);
        }
    }
}
