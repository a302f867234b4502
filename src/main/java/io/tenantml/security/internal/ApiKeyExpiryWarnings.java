package io.tenantml.security.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tenantml.events.EventType;
import io.tenantml.events.TenantEvents;
import io.tenantml.security.SecurityConfig;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.database.Batches;
import io.tenantml.tenancy.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Tells a tenant of each API key that ends within {@link SecurityConfig#keyExpiryWarning()}: an
 * {@code api_key.expiring} event, on its feed and to its webhooks, once per key. An integration whose key ends
 * unnoticed stops working at the end; the warning gives its owners the time to put a new key in. A key already
 * past its end, revoked, or issued without one is never warned of. Not a tenant job: one query finds the due keys
 * of every tenant, each event is published in the key's tenant, and the key is marked in the same transaction, so
 * a crash repeats no warning and loses none.
 */
@ApplicationScoped
public class ApiKeyExpiryWarnings {

    private static final Logger LOG = Logger.getLogger(ApiKeyExpiryWarnings.class);

    /** Keys warned of per transaction: a tenant with thousands of keys ending at once does not hold one long. */
    static final int BATCH = 200;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SecurityConfig config;

    @Inject
    TenantEvents events;

    @Inject
    TenantScope tenantScope;

    @Inject
    Clock clock;

    @Scheduled(
            identity = "security-key-expiry-warnings",
            every = "${tenantml.security.key-expiry-warning-every:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Batches.scheduled(LOG, "API keys ending soon not warned of", this::warnDue);
    }

    /** Publishes the warning of every key now due one; answers how many. */
    public long warnDue() throws SQLException {
        long warned = Batches.untilShort(
                BATCH, Batches.MOST, () -> QuarkusTransaction.requiringNew().call(this::warnBatch));
        if (warned > 0) {
            LOG.infof("Warned of %d API keys ending within %s", warned, config.keyExpiryWarning());
        }
        return warned;
    }

    /** A key due a warning, as its event names it. */
    private record DueKey(UUID id, String tenant, String name, String role, String prefix, Instant expiresAt) {}

    private long warnBatch() throws SQLException {
        Instant now = clock.instant();
        List<DueKey> due = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                // skip locked: two nodes running the job at once split the keys instead of warning twice
                PreparedStatement ps = c.prepareStatement("select id, tenant_id, name, role, prefix, expires_at"
                        + " from api_key where expires_at is not null and revoked_at is null"
                        + " and expiry_warned_at is null and expires_at > ? and expires_at <= ?"
                        + " order by expires_at, id limit ? for update skip locked")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now.plus(config.keyExpiryWarning())));
            ps.setInt(3, BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(new DueKey(
                            rs.getObject(1, UUID.class),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getTimestamp(6).toInstant()));
                }
            }
        }
        for (DueKey key : due) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("key", key.id().toString());
            data.put("name", key.name());
            data.put("role", key.role());
            data.put("prefix", key.prefix());
            data.put("expiresAt", key.expiresAt().toString());
            tenantScope.run(TenantId.of(key.tenant()), () -> events.publish(EventType.API_KEY_EXPIRING, data));
        }
        if (!due.isEmpty()) {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps =
                            c.prepareStatement("update api_key set expiry_warned_at = ? where id = any (?)")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setArray(
                        2, c.createArrayOf("uuid", due.stream().map(DueKey::id).toArray()));
                ps.executeUpdate();
            }
        }
        return due.size();
    }
}
