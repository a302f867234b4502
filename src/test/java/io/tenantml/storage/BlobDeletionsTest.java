package io.tenantml.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.internal.FileSystemBlobStore;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Files of deleted rows go when the deleting transaction commits, never when it rolls back (real JTA). */
@QuarkusTest
class BlobDeletionsTest {

    @Inject
    BlobDeletions deletions;

    @Inject
    BlobStore blobs;

    @Inject
    TransactionSynchronizationRegistry transactions;

    private static final TenantId TENANT = new TenantId("blob-deletions");

    /** Files of a tenant without a row: none may be left for tests that look at every tenant's files. */
    @AfterEach
    void removeFiles() throws IOException {
        blobs.deleteTenant(TENANT);
    }

    @Test
    void shouldDeleteTheFilesOnlyOnceTheTransactionHasCommitted() throws IOException {
        BlobKey file = store("committed/a/model.ubj");
        BlobKey other = store("committed/b/model.ubj");

        QuarkusTransaction.requiringNew().run(() -> {
            deletions.deletePrefixAfterCommit(TENANT, "committed/a/");
            assertThat(exists(file)).as("before the commit").isTrue();
        });

        assertThat(blobs.exists(TENANT, file)).as("after the commit").isFalse();
        assertThat(blobs.exists(TENANT, other)).as("outside the prefix").isTrue();
    }

    @Test
    void shouldKeepTheFilesWhenTheTransactionRollsBack() throws IOException {
        BlobKey file = store("rolled-back/a/model.ubj");

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    deletions.deletePrefixAfterCommit(TENANT, "rolled-back/a/");
                    throw new IllegalStateException("a later statement fails");
                }))
                .hasMessage("a later statement fails");
        // marked for rollback after the registration: the commit rolls back instead
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    deletions.deletePrefixAfterCommit(TENANT, "rolled-back/a/");
                    QuarkusTransaction.setRollbackOnly();
                }))
                .hasCauseInstanceOf(jakarta.transaction.RollbackException.class);

        assertThat(blobs.exists(TENANT, file)).isTrue();
    }

    @Test
    void shouldRefuseOutsideATransaction() {
        assertThatThrownBy(() -> deletions.deletePrefixAfterCommit(TENANT, "anything/"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldCommitAndOnlyLogWhenTheFilesCannotBeDeletedAfterwards() throws IOException {
        AtomicInteger attempts = new AtomicInteger();
        Path root = Files.createTempDirectory("blob-deletions");
        BlobDeletions failing = new BlobDeletions(
                new FileSystemBlobStore(root) {
                    @Override
                    public void deletePrefix(TenantId tenant, String prefix) throws IOException {
                        attempts.incrementAndGet();
                        throw new IOException("disk gone");
                    }
                },
                transactions);

        QuarkusTransaction.requiringNew().run(() -> failing.deletePrefixAfterCommit(TENANT, "models/m/"));

        assertThat(attempts).hasValue(1);
    }

    private BlobKey store(String path) throws IOException {
        BlobKey key = new BlobKey(path);
        blobs.put(TENANT, key, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        return key;
    }

    private boolean exists(BlobKey key) {
        try {
            return blobs.exists(TENANT, key);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
