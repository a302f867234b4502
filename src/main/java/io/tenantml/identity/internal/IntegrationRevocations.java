package io.tenantml.identity.internal;

import io.agroal.api.AgroalDataSource;
import io.tenantml.identity.IdentityConfig;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.cluster.ClusterConfig;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.shared.cluster.InvalidatedCache;
import io.tenantml.tenancy.TenantService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The integration clients the platform deleted, per tenant, with when: access tokens are verified locally, so
 * without this a deleted client's tokens kept working until they expired (the realm's 300 s). The token check reads
 * a tenant's revocations from memory; a revocation invalidates that tenant's entry on every node through
 * {@link ClusterEvents} (this node at commit, the others milliseconds later; a node that missed events clears every
 * entry on reconnect, and trusts none while it cannot listen beyond the cluster's outage grace). So a token check
 * costs a map lookup, and one indexed query per tenant after a revocation or a cache expiry, rather than a query on
 * every request.
 */
@ApplicationScoped
public class IntegrationRevocations {

    /** Cluster event published when an integration client is revoked: its payload is the tenant id. */
    public static final String REVOKED = "integration-revoked";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EntityManager em;

    @Inject
    ClusterEvents cluster;

    @Inject
    ClusterConfig clusterConfig;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    /** Per tenant id: revoked client id to revoked_at, recent ones only (an empty map is cached too). */
    private InvalidatedCache<String, Map<String, Instant>> byTenant;

    @PostConstruct
    void init() {
        byTenant = new InvalidatedCache<>(cluster, clusterConfig);
        cluster.subscribe(REVOKED, byTenant::invalidate);
        // the tenant's rows went with it; a tenant onboarded again under the id starts with none
        cluster.subscribe(TenantService.TENANT_DELETED, byTenant::invalidate);
    }

    /**
     * Records that {@code clientId} of {@code tenant} was deleted now, inside the caller's transaction (one is
     * required: the event is published with it), after the client is gone from Keycloak: every token the client
     * was ever issued then says it was issued before now. Prunes the tenant's revocations past the retention.
     */
    public void revoke(TenantId tenant, String clientId) {
        Instant now = clock.instant();
        em.createNativeQuery("insert into integration_revocation(tenant_id, client_id, revoked_at) values (?1, ?2, ?3)"
                        + " on conflict (tenant_id, client_id) do update set revoked_at = excluded.revoked_at")
                .setParameter(1, tenant.value())
                .setParameter(2, clientId)
                .setParameter(3, now)
                .executeUpdate();
        // Past the retention no token issued before the revocation is unexpired (see IdentityConfig), so the row
        // refuses nothing its expiry does not. Pruned here, per tenant, rather than by a job of its own: a tenant
        // that never deletes again keeps a few stale rows, which reads ignore and offboarding removes.
        em.createNativeQuery("delete from integration_revocation where tenant_id = ?1 and revoked_at < ?2")
                .setParameter(1, tenant.value())
                .setParameter(2, now.minus(config.revocationRetention()))
                .executeUpdate();
        cluster.publish(REVOKED, tenant.value());
    }

    /** When {@code clientId} of {@code tenant} was last revoked, if within the retention. */
    public Optional<Instant> revokedAt(TenantId tenant, String clientId) {
        return Optional.ofNullable(byTenant.get(tenant.value(), this::load).get(clientId));
    }

    /**
     * Plain JDBC, like the other credential lookups: it runs before the request's tenant is decided, so it must not
     * open the request's Hibernate session. Served by the primary key's leading tenant_id.
     */
    private Map<String, Instant> load(String tenant) {
        String sql = "select client_id, revoked_at from integration_revocation where tenant_id = ? and revoked_at >= ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            ps.setTimestamp(2, Timestamp.from(clock.instant().minus(config.revocationRetention())));
            Map<String, Instant> revoked = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    revoked.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            }
            return Map.copyOf(revoked);
        } catch (SQLException e) {
            throw new IllegalStateException("integration revocation lookup failed", e);
        }
    }
}
