package io.tenantml.scheduling.internal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantDeletionListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * A leaving tenant's queued and running runs of every kind are asked to stop in the ledger: a queued one is
 * never claimed, a running one stops at its next checkpoint (a training at its next boosting round), so none
 * writes a file after the tenant's files are gone. Idempotent.
 */
@ApplicationScoped
class RunOffboarding implements TenantDeletionListener {

    @Inject
    EntityManager em;

    @Override
    public void onTenantDeleted(TenantId tenant) {
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery("update run set cancel_requested = true "
                                + "where tenant_id = :tenant and state in ('QUEUED', 'RUNNING')")
                        .setParameter("tenant", tenant.value())
                        .executeUpdate());
    }
}
