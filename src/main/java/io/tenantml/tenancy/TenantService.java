package io.tenantml.tenancy;

import io.quarkus.arc.All;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.internal.TenantEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Onboards and offboards tenants. Onboarding is all-or-nothing across PostgreSQL and every
 * {@link TenantProvisioner}; offboarding removes rows (by foreign-key cascade from {@code tenant}), files,
 * jobs and external objects.
 */
@ApplicationScoped
public class TenantService {

    private static final Logger LOG = Logger.getLogger(TenantService.class);

    /**
     * Cluster event: a tenant (payload: its id) began leaving, and again once its rows were deleted. Every
     * node forgets what it holds of the tenant (keys, aliases, models, meters) each time: the second time
     * catches what a request admitted just before the first put back.
     */
    public static final String TENANT_DELETED = "tenant-deleted";

    @Inject
    ClusterEvents cluster;

    @Inject
    TenantContext tenantContext;

    @Inject
    BlobStore blobs;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    @All
    List<TenantProvisioner> provisioners;

    @Inject
    @All
    List<TenantDeletionListener> deletionListeners;

    public OnboardedTenant onboard(OnboardingRequest request) {
        TenantId id = new TenantId(request.id());
        // The whole onboarding acts for the new tenant, so what provisioners write (the first admin key,
        // issued by security's provisioner) is written under it.
        tenantContext.enter(id);
        List<TenantProvisioner> done = new ArrayList<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                if (TenantEntity.findById(id.value()) != null) {
                    throw ProblemException.conflict("tenant-exists", "Tenant '" + id + "' already exists");
                }
                Tenant tenant = insert(id, request.name(), TenantSource.API);
                Map<String, Object> provisioned = new LinkedHashMap<>();
                for (TenantProvisioner provisioner : provisioners) {
                    provisioned.putAll(provisioner.provision(tenant, request));
                    done.add(provisioner);
                }
                // A named member of the answer (in OpenAPI), not one of the provisioners' free members.
                Object adminKey = provisioned.remove(OnboardedTenant.ADMIN_API_KEY);
                if (!(adminKey instanceof String key)) {
                    throw new IllegalStateException("no provisioner issued the tenant's first admin key");
                }
                return new OnboardedTenant(tenant, key, provisioned);
            });
        } catch (RuntimeException e) {
            for (TenantProvisioner provisioner : done.reversed()) {
                try {
                    provisioner.deprovision(id);
                } catch (RuntimeException cleanup) {
                    LOG.errorf(
                            cleanup,
                            "Could not undo %s for tenant %s",
                            provisioner.getClass().getSimpleName(),
                            id);
                }
            }
            if (e instanceof ProblemException) {
                throw e;
            }
            if (isUniqueViolation(e)) {
                throw ProblemException.conflict("tenant-exists", "Tenant '" + id + "' already exists");
            }
            throw e;
        }
    }

    /** Creates or updates a tenant declared by a manifest; never issues keys. */
    public boolean upsertDeclared(TenantId id, String name) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TenantEntity existing = TenantEntity.findById(id.value());
            if (existing == null) {
                insert(id, name, TenantSource.MANIFEST);
                return true;
            }
            if (!existing.name.equals(name)) {
                existing.name = name;
                existing.updatedAt = now();
                return true;
            }
            return false;
        });
    }

    /** Every tenant, by id (the primary key, so the keyset is unique and indexed). */
    public Page<Tenant> list(PageRequest page) {
        List<String> after = page.after("tenants", 1);
        List<TenantEntity> rows = after == null
                ? TenantEntity.<TenantEntity>find("order by id")
                        .range(0, page.limit())
                        .list()
                : TenantEntity.<TenantEntity>find("id > ?1 order by id", after.get(0))
                        .range(0, page.limit())
                        .list();
        return page.page(rows.stream().map(TenantService::view).toList(), "tenants", t -> List.of(t.id()));
    }

    public Optional<Tenant> find(TenantId id) {
        return Optional.ofNullable(TenantEntity.<TenantEntity>findById(id.value()))
                .map(TenantService::view);
    }

    public Tenant get(TenantId id) {
        return find(id).orElseThrow(() -> ProblemException.notFound("No tenant '" + id + "'"));
    }

    /**
     * Offboards the tenant: first what lives outside PostgreSQL and can be retried (jobs, identity
     * objects), then the rows in one transaction, then the files. Each step is idempotent, so a retried
     * offboarding finishes what an interrupted one began.
     */
    public void offboard(TenantId id) {
        get(id);
        markLeaving(id);
        for (TenantDeletionListener listener : deletionListeners) {
            listener.onTenantDeleted(id);
        }
        for (TenantProvisioner provisioner : provisioners) {
            provisioner.deprovision(id);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            // Every tenant-owned table references tenant(id) ON DELETE CASCADE (checked by a test).
            int deleted = em.createNativeQuery("delete from tenant where id = :id")
                    .setParameter("id", id.value())
                    .executeUpdate();
            if (deleted == 0) {
                // another offboarding of the same tenant deleted it while this one ran: that one answers 204
                // and removes the files, as for every other delete done twice at once
                throw ProblemException.notFound("No tenant '" + id + "'");
            }
            // Caches of credentials and aliases on every node forget the tenant once the delete commits.
            cluster.publish(TENANT_DELETED, id.value());
        });
        try {
            blobs.deleteTenant(id);
        } catch (IOException e) {
            throw new UncheckedIOException("rows of tenant " + id + " deleted, but not all its files", e);
        }
        LOG.infof("Offboarded tenant %s", id);
    }

    /**
     * Step one of an offboarding: from the commit on, the tenant's keys and paths are refused, its jobs
     * refuse to start (the {@link TenantDeletionListener}s then stop what runs); every node
     * drops its cached keys, aliases and models of the tenant.
     */
    private void markLeaving(TenantId id) {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update tenant set status = 'leaving' where id = :id")
                    .setParameter("id", id.value())
                    .executeUpdate();
            cluster.publish(TENANT_DELETED, id.value());
        });
    }

    /** Whether the tenant exists and is not leaving: jobs check it before they start. */
    public boolean isActive(TenantId id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            TenantEntity tenant = TenantEntity.findById(id.value());
            return tenant != null && "active".equals(tenant.status);
        });
    }

    private Tenant insert(TenantId id, String name, TenantSource source) {
        TenantEntity entity = new TenantEntity();
        entity.id = id.value();
        entity.name = name;
        entity.source = source.wireName();
        entity.createdAt = now();
        entity.updatedAt = entity.createdAt;
        entity.persistAndFlush();
        return view(entity);
    }

    private Instant now() {
        return clock.instant();
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
            if (t instanceof PersistenceException
                    && t.getMessage() != null
                    && t.getMessage().contains("23505")) {
                return true;
            }
        }
        return false;
    }

    private static Tenant view(TenantEntity e) {
        return new Tenant(
                e.id,
                e.name,
                TenantSource.fromWire(e.source),
                TenantStatus.fromWire(e.status),
                e.createdAt,
                e.updatedAt);
    }
}
