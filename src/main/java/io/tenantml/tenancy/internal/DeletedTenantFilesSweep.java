package io.tenantml.tenancy.internal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.AfterStartSweep;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Files of tenants that no longer exist are what an offboarding interrupted between its row deletion and its file
 * deletion leaves; every node sweeps them after start. Safe beside requests, onboardings included, because a
 * tenant's files are only ever written after its row is committed: a directory whose tenant has no row now is
 * one no running request writes to (an offboarding under way deletes the same files, and either delete may win).
 */
@ApplicationScoped
class DeletedTenantFilesSweep implements AfterStartSweep {

    private static final Logger LOG = Logger.getLogger(DeletedTenantFilesSweep.class);

    @Inject
    TenantService tenants;

    @Inject
    BlobStore blobs;

    @Override
    public int order() {
        // first: the other parts need not judge the files of a tenant that is gone
        return 0;
    }

    @Override
    @ActivateRequestContext // Hibernate resolves the (absent) tenant of its session from the request context
    public boolean sweepTenant(TenantId tenant, List<BlobKey> files) throws Exception {
        if (QuarkusTransaction.requiringNew().call(() -> tenants.find(tenant).isPresent())) {
            return true;
        }
        LOG.warnf("Deleting files of tenant %s, which no longer exists", tenant);
        blobs.deleteTenant(tenant);
        return false;
    }
}
