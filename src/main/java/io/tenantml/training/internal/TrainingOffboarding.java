package io.tenantml.training.internal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantDeletionListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * A leaving tenant's queued and running trainings are asked to stop: a running one stops at its next
 * boosting round (the cancellation poll of {@code TrainingRunner}), so it writes no model file after the
 * tenant's files are gone. Idempotent.
 */
@ApplicationScoped
class TrainingOffboarding implements TenantDeletionListener {

    @Inject
    EntityManager em;

    @Override
    public void onTenantDeleted(TenantId tenant) {
        QuarkusTransaction.requiringNew()
                .run(() -> em.createNativeQuery("update training set cancel_requested = true "
                                + "where tenant_id = :tenant and status in ('queued', 'running')")
                        .setParameter("tenant", tenant.value())
                        .executeUpdate());
    }
}
