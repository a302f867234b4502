package io.tenantml.shared.database;

import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Locks on a name rather than a row, held until the caller's transaction ends, on every node: for a write that
 * creates its row when it is missing (a model's spec, a recommender, an alias, a plan, a model's first rules).
 * Before that row exists there is nothing to lock, so two requests at once would both insert it and one would
 * fail on the unique key; with the name locked first, the second waits, then finds the row and updates it, and
 * both are answered as the same PUT done twice. A PostgreSQL advisory lock on a 64-bit hash of the kind, tenant
 * and name: two names that share a hash only wait for each other.
 */
@ApplicationScoped
public class NameLocks {

    @Inject
    EntityManager em;

    /** Waits for, then holds until the transaction ends, the lock on {@code name} of {@code kind} in the tenant. */
    public void lock(String kind, TenantId tenant, String name) {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .setParameter("key", kind + "|" + tenant.value() + "|" + name)
                .getSingleResult();
    }

    /**
     * Like {@link #lock}, but shared: holders of the shared lock on a name do not wait for one another, only for
     * (and hold off) a holder of {@link #lock} on it. For a reader that needs what the name's owner might change
     * to stay as it read it until its own transaction ends.
     */
    public void lockShared(String kind, TenantId tenant, String name) {
        em.createNativeQuery("select pg_advisory_xact_lock_shared(hashtextextended(:key, 0))")
                .setParameter("key", kind + "|" + tenant.value() + "|" + name)
                .getSingleResult();
    }
}
