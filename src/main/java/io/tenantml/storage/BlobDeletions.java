package io.tenantml.storage;

import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Removes the files of rows that a transaction deletes, once that transaction has committed. Deleting them
 * inside the transaction is wrong: if it then rolls back (a later statement fails, it times out, the node dies
 * before the commit), the rows survive and point at files that are gone, and a model that still exists answers
 * 500. Here the files go only after the commit, and a transaction that rolls back leaves them as they were.
 */
@ApplicationScoped
public class BlobDeletions {

    private static final Logger LOG = Logger.getLogger(BlobDeletions.class);

    private final BlobStore blobs;
    private final TransactionSynchronizationRegistry transactions;

    @Inject
    public BlobDeletions(BlobStore blobs, TransactionSynchronizationRegistry transactions) {
        this.blobs = blobs;
        this.transactions = transactions;
    }

    /**
     * Deletes the tenant's files under {@code prefix} when the current transaction commits, nothing if it rolls
     * back. The deletion runs on the committing thread right after the commit, so a request that commits the
     * delete answers after its files are gone. A failure then is logged, not thrown: the rows are gone, so the
     * leftover files are unreachable, and they are removed with the tenant.
     *
     * @throws IllegalStateException outside a transaction: the caller must be the transaction that deletes the rows
     *     naming the files, or nothing would tie the files' fate to theirs
     */
    public void deletePrefixAfterCommit(TenantId tenant, String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        afterCommit(tenant, prefix, () -> blobs.deletePrefix(tenant, prefix));
    }

    /** {@link #deletePrefixAfterCommit} for one file: the transaction marks the row naming it as without file. */
    public void deleteAfterCommit(TenantId tenant, BlobKey key) {
        Objects.requireNonNull(key, "key");
        afterCommit(tenant, key.path(), () -> blobs.delete(tenant, key));
    }

    private interface Deletion {
        void run() throws IOException;
    }

    private void afterCommit(TenantId tenant, String what, Deletion deletion) {
        Objects.requireNonNull(tenant, "tenant");
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException(
                    "files are deleted after the commit of the transaction that deletes their rows; there is none");
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    return;
                }
                try {
                    deletion.run();
                } catch (IOException | RuntimeException e) {
                    // The rows are gone; leftover files are unreachable and removed with the tenant.
                    LOG.warnf(e, "Files under %s of tenant %s not removed after their rows were deleted", what, tenant);
                }
            }
        });
    }
}
