package io.tenantml.tenancy.internal;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Removes every meter tagged with an offboarded tenant, on every node, when the offboarding commits: a
 * tenant that left must not stay in the scrape (its id and its model names) until the node restarts.
 * Every feature tags its per-tenant meters {@code tenant}, so one sweep of the registry finds them all.
 */
@ApplicationScoped
class TenantMeters {

    private static final Logger LOG = Logger.getLogger(TenantMeters.class);

    @Inject
    MeterRegistry registry;

    @Inject
    ClusterEvents cluster;

    void subscribe(@Observes StartupEvent event) {
        cluster.subscribe(TenantService.TENANT_DELETED, this::remove);
    }

    void remove(String tenant) {
        List<Meter> theirs = registry.getMeters().stream()
                .filter(m -> tenant.equals(m.getId().getTag("tenant")))
                .toList();
        theirs.forEach(registry::remove);
        LOG.debugf("Removed %d meters of offboarded tenant %s", theirs.size(), tenant);
    }
}
