package io.tenantml.tenancy.internal;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Removes every meter tagged with an offboarded tenant, on every node, when the offboarding commits: a
 * tenant that left must not stay in the scrape (its id and its model names) until the node restarts.
 * Every feature tags its per-tenant meters {@code tenant}, so one sweep of the registry finds them all.
 *
 * <p>A node whose cluster listener was down when another node offboarded a tenant never heard of it: on
 * reconnect (no tenant in scope, on the listener's thread) the tenants its meters still name are checked with
 * plain JDBC, and for each that no longer exists or is leaving, {@link TenantService#TENANT_DELETED} is replayed
 * on this node, so its meters, loaded models, open indexes and cached keys of the tenant go as they would have.
 */
@ApplicationScoped
class TenantMeters {

    private static final Logger LOG = Logger.getLogger(TenantMeters.class);

    @Inject
    MeterRegistry registry;

    @Inject
    ClusterEvents cluster;

    @Inject
    AgroalDataSource dataSource;

    void subscribe(@Observes StartupEvent event) {
        cluster.subscribe(TenantService.TENANT_DELETED, this::remove);
        cluster.onResync(this::replayMissedDeletions);
    }

    /** Best effort: a failure is logged and never keeps the listener from going live. */
    void replayMissedDeletions() {
        Set<String> named = registry.getMeters().stream()
                .map(m -> m.getId().getTag("tenant"))
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        if (named.isEmpty()) {
            return;
        }
        Set<String> active = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select id from tenant where status = 'active' and id = any (?)")) {
            ps.setArray(1, c.createArrayOf("text", named.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    active.add(rs.getString(1));
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("could not check for tenants offboarded while the cluster listener was down: %s", e.getMessage());
            return;
        }
        for (String tenant : named) {
            if (!active.contains(tenant)) {
                LOG.infof("tenant %s left while the cluster listener was down: forgetting it on this node", tenant);
                cluster.replayLocally(TenantService.TENANT_DELETED, tenant);
            }
        }
    }

    void remove(String tenant) {
        List<Meter> theirs = registry.getMeters().stream()
                .filter(m -> tenant.equals(m.getId().getTag("tenant")))
                .toList();
        theirs.forEach(registry::remove);
        LOG.debugf("Removed %d meters of offboarded tenant %s", theirs.size(), tenant);
    }
}
