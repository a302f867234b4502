package io.tenantml.experts.internal;

import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantDeletionListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Offboarding: this node's open generations of the tenant are dropped at once; every other node drops its own
 * on the {@code tenant-deleted} cluster event ({@link OpenIndexes}); generation files go with the tenant's
 * blobs and cached embeddings, builds and recommenders with its rows (on delete cascade).
 */
@ApplicationScoped
public class ExpertsTenantCleanup implements TenantDeletionListener {

    @Inject
    OpenIndexes indexes;

    @Override
    public void onTenantDeleted(TenantId tenant) {
        indexes.evict(tenant);
    }
}
