package io.tenantml.usage.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.tenantml.shared.TenantId;
import io.tenantml.usage.Meter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes usage rows. Every statement names its tenant explicitly (native SQL, see docs/architecture.md).
 * Connections come from the JTA-aware pool: called inside a transaction, an event commits or rolls back with
 * the fact it meters (an ingested version is metered in the transaction that creates it).
 */
@ApplicationScoped
public class UsageStore {

    /** Exact facts: the first write of an idempotency id wins, a replay changes nothing. */
    private static final String INSERT_EVENT = "insert into usage_event (tenant_id, idempotency_id, meter, model, "
            + "version, dimensions, quantity, occurred_at) values (?, ?, ?, ?, ?, ?::jsonb, ?, ?) "
            + "on conflict (tenant_id, idempotency_id) do nothing";

    /**
     * Minute buckets: the row holds the bucket's running total; greatest() keeps the larger of two flushes of
     * the same bucket whatever order they land in, so replays and retries are no-ops.
     */
    private static final String UPSERT_BUCKET = "insert into usage_event (tenant_id, idempotency_id, meter, model, "
            + "version, dimensions, quantity, occurred_at) values (?, ?, ?, ?, ?, ?::jsonb, ?, ?) "
            + "on conflict (tenant_id, idempotency_id) do update set quantity = "
            + "greatest(usage_event.quantity, excluded.quantity), recorded_at = now()";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /** @return true when the event was new */
    public boolean insert(
            TenantId tenant,
            String idempotencyId,
            Meter meter,
            Map<String, String> dimensions,
            double quantity,
            Instant occurredAt) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            bind(ps, tenant, idempotencyId, meter, dimensions, quantity, occurredAt);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("usage event " + idempotencyId + " of " + tenant + " not written", e);
        }
    }

    /** Upserts minute buckets in one transaction (all or nothing). */
    public void upsert(List<MinuteTotals.Snapshot> buckets) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(UPSERT_BUCKET)) {
                for (MinuteTotals.Snapshot s : buckets) {
                    bind(
                            ps,
                            s.key().tenant(),
                            s.idempotencyId(),
                            s.key().meter(),
                            s.key().dimensions(),
                            s.total(),
                            Instant.ofEpochSecond(s.key().minute() * 60));
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    private void bind(
            PreparedStatement ps,
            TenantId tenant,
            String idempotencyId,
            Meter meter,
            Map<String, String> dimensions,
            double quantity,
            Instant occurredAt)
            throws SQLException {
        Map<String, String> rest = new LinkedHashMap<>(dimensions);
        String model = rest.remove("model");
        String version = rest.remove("version");
        ps.setString(1, tenant.value());
        ps.setString(2, idempotencyId);
        ps.setString(3, meter.wireName());
        ps.setString(4, model);
        if (version == null) {
            ps.setNull(5, java.sql.Types.INTEGER);
        } else {
            ps.setInt(5, Integer.parseInt(version));
        }
        try {
            ps.setString(6, json.writeValueAsString(rest));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("dimensions not serialisable", e);
        }
        ps.setDouble(7, quantity);
        ps.setTimestamp(8, Timestamp.from(occurredAt));
    }
}
