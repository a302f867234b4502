package io.tenantml.webhooks.internal;

import io.agroal.api.AgroalDataSource;
import io.tenantml.events.EventType;
import io.tenantml.shared.TenantId;
import io.tenantml.webhooks.DeliveryStatus;
import io.tenantml.webhooks.DeliveryView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of deliveries. Statements of one tenant's deliveries name its {@code tenant_id}; the fan-out, the
 * claim and the sweep of expired previous secrets are the only ones across tenants (like the run ledger's sweep),
 * and they only ever move lifecycle columns. Runs in the caller's transaction when there is one (the data source is enlisted).
 */
@ApplicationScoped
public class DeliveryStore {

    @Inject
    AgroalDataSource dataSource;

    /** A claimed attempt: this node holds it until {@code lease} ends or it records the outcome. */
    public record Claimed(UUID id, TenantId tenant, UUID endpoint, UUID event, int attempt, Instant retryUntil) {}

    /**
     * What an attempt sends: the endpoint's URL and secrets (as stored: encrypted; the previous one, if any, with its
     * expiry, maybe past and not yet swept), the event.
     */
    public record Message(
            String url,
            String storedSecret,
            String storedPreviousSecret,
            Instant previousSecretExpiresAt,
            boolean enabled,
            String type,
            String payload,
            Instant at) {}

    private static final String VIEW = "select d.id, d.event_id, e.type, d.status, d.attempts, d.created_at, "
            + "d.last_attempt_at, d.next_attempt_at, d.last_status_code, d.last_latency_ms, d.last_error, "
            + "d.response_excerpt from webhook_delivery d join tenant_event e on e.id = d.event_id ";

    /**
     * Creates the deliveries of events not yet fanned out, one per enabled endpoint of the event's tenant that
     * subscribes to its type and existed when it happened, and marks the events fanned out, in one statement.
     * Events held by another node's fan-out are skipped, never duplicated (and the pair is unique anyway).
     *
     * @return events fanned out
     */
    public int fanOut(int limit, Duration initialDelay, Duration retryFor) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("with pending as (select id, tenant_id, type, created_at "
                        + "from tenant_event where not fanned_out order by created_at limit ? for update skip locked), "
                        + "created as (insert into webhook_delivery (id, tenant_id, endpoint_id, event_id, status, "
                        + "attempts, next_attempt_at, retry_until, created_at) "
                        + "select gen_random_uuid(), p.tenant_id, w.id, p.id, 'pending', 0, "
                        + "p.created_at + make_interval(secs => ?), "
                        + "p.created_at + make_interval(secs => ?), p.created_at "
                        + "from pending p join webhook_endpoint w on w.tenant_id = p.tenant_id and w.enabled "
                        + "and w.events @> jsonb_build_array(p.type) and w.created_at <= p.created_at "
                        + "on conflict (endpoint_id, event_id) do nothing returning 1) "
                        + "update tenant_event e set fanned_out = true from pending p where e.id = p.id")) {
            ps.setInt(1, limit);
            ps.setDouble(2, initialDelay.toMillis() / 1000.0);
            ps.setDouble(3, (initialDelay.toMillis() + retryFor.toMillis()) / 1000.0);
            return ps.executeUpdate();
        }
    }

    /**
     * Claims up to {@code limit} due attempts of enabled endpoints of active tenants for {@code node}: each gets
     * its attempt number and a lease (its due time moved to {@code leaseUntil}), in one statement whose row
     * locks skip what another node is claiming, so no two nodes ever hold the same attempt.
     */
    public List<Claimed> claim(String node, int limit, Instant now, Instant leaseUntil) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update webhook_delivery d set attempts = d.attempts + 1, "
                        + "claimed_by = ?, next_attempt_at = ? where d.id in (select d2.id from webhook_delivery d2 "
                        + "join webhook_endpoint w on w.id = d2.endpoint_id join tenant t on t.id = d2.tenant_id "
                        + "where d2.status = 'pending' and d2.next_attempt_at <= ? and w.enabled "
                        + "and t.status = 'active' order by d2.next_attempt_at limit ? for update of d2 skip locked) "
                        + "returning d.id, d.tenant_id, d.endpoint_id, d.event_id, d.attempts, d.retry_until")) {
            ps.setString(1, node);
            ps.setTimestamp(2, Timestamp.from(leaseUntil));
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setInt(4, limit);
            List<Claimed> claimed = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new Claimed(
                            rs.getObject(1, UUID.class),
                            new TenantId(rs.getString(2)),
                            rs.getObject(3, UUID.class),
                            rs.getObject(4, UUID.class),
                            rs.getInt(5),
                            rs.getTimestamp(6).toInstant()));
                }
            }
            return claimed;
        }
    }

    public Optional<Message> message(Claimed claimed) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select w.url, w.secret, w.previous_secret, "
                        + "w.previous_secret_expires_at, w.enabled, e.type, e.payload::text, e.created_at "
                        + "from webhook_endpoint w, tenant_event e where w.id = ? and w.tenant_id = ? "
                        + "and e.id = ? and e.tenant_id = ?")) {
            ps.setObject(1, claimed.endpoint());
            ps.setString(2, claimed.tenant().value());
            ps.setObject(3, claimed.event());
            ps.setString(4, claimed.tenant().value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Message(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        instant(rs.getTimestamp(4)),
                        rs.getBoolean(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getTimestamp(8).toInstant()));
            }
        }
    }

    /**
     * Forgets the previous secrets whose overlap has ended (a rotation's old secret, kept until then to sign beside
     * the new one). A rotation committing meanwhile holds the row: its new expiry is read again and kept.
     *
     * @return previous secrets forgotten
     */
    public int forgetExpiredPreviousSecrets(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update webhook_endpoint set previous_secret = null, "
                        + "previous_secret_expires_at = null where previous_secret_expires_at <= ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            return ps.executeUpdate();
        }
    }

    /** The outcome of an attempt this node still holds; false (nothing written) when it no longer does. */
    public boolean record(
            Claimed claimed,
            String node,
            DeliveryStatus status,
            Instant next,
            Instant at,
            Integer statusCode,
            Integer latencyMs,
            String error,
            String excerpt)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "update webhook_delivery set status = ?, "
                                + "next_attempt_at = ?, claimed_by = null, last_attempt_at = ?, last_status_code = ?, "
                                + "last_latency_ms = ?, last_error = ?, response_excerpt = ? "
                                + "where id = ? and tenant_id = ? and attempts = ? and claimed_by = ? and status = 'pending'")) {
            ps.setString(1, status.wireName());
            ps.setTimestamp(2, next == null ? null : Timestamp.from(next));
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setObject(4, statusCode, java.sql.Types.INTEGER);
            ps.setObject(5, latencyMs, java.sql.Types.INTEGER);
            ps.setString(6, error);
            ps.setString(7, excerpt);
            ps.setObject(8, claimed.id());
            ps.setString(9, claimed.tenant().value());
            ps.setInt(10, claimed.attempt());
            ps.setString(11, node);
            return ps.executeUpdate() == 1;
        }
    }

    /** A success resets the endpoint's run of failures. */
    public void endpointSucceeded(Claimed claimed) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update webhook_endpoint set consecutive_failures = 0 "
                        + "where id = ? and tenant_id = ? and consecutive_failures <> 0")) {
            ps.setObject(1, claimed.endpoint());
            ps.setString(2, claimed.tenant().value());
            ps.executeUpdate();
        }
    }

    /**
     * Counts a failed attempt against the endpoint and disables it at {@code disableAfter} in a row.
     *
     * @return true when this failure disabled it
     */
    public boolean endpointFailed(Claimed claimed, int disableAfter, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update webhook_endpoint set "
                        + "consecutive_failures = consecutive_failures + 1, "
                        + "enabled = enabled and consecutive_failures + 1 < ?, "
                        + "disabled_reason = case when enabled and consecutive_failures + 1 >= ? then ? "
                        + "else disabled_reason end where id = ? and tenant_id = ? "
                        + "returning (not enabled and disabled_reason = ?)")) {
            ps.setInt(1, disableAfter);
            ps.setInt(2, disableAfter);
            ps.setString(3, reason);
            ps.setObject(4, claimed.endpoint());
            ps.setString(5, claimed.tenant().value());
            ps.setString(6, reason);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** A new delivery of an event to one endpoint, due now (test events). */
    public UUID insert(TenantId tenant, UUID endpoint, UUID event, Instant now, Instant retryUntil)
            throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into webhook_delivery (id, tenant_id, endpoint_id, "
                        + "event_id, status, attempts, next_attempt_at, retry_until, created_at) "
                        + "values (?, ?, ?, ?, 'pending', 0, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, tenant.value());
            ps.setObject(3, endpoint);
            ps.setObject(4, event);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setTimestamp(6, Timestamp.from(retryUntil));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.executeUpdate();
        }
        return id;
    }

    /**
     * Sends a delivery again with the same event (and so the same {@code webhook-id}): pending, due now, retried
     * for another {@code retryFor}. An attempt in flight is left to finish (its lease holds the row's due time).
     *
     * @return false when the endpoint has no such delivery
     */
    public boolean redeliver(TenantId tenant, UUID endpoint, UUID delivery, Instant now, Instant retryUntil)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update webhook_delivery set status = 'pending', "
                        + "next_attempt_at = case when status = 'pending' and claimed_by is not null "
                        + "then next_attempt_at else ? end, retry_until = ? "
                        + "where id = ? and endpoint_id = ? and tenant_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(retryUntil));
            ps.setObject(3, delivery);
            ps.setObject(4, endpoint);
            ps.setString(5, tenant.value());
            return ps.executeUpdate() == 1;
        }
    }

    public Optional<DeliveryView> view(TenantId tenant, UUID endpoint, UUID delivery) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        VIEW + "where d.id = ? and d.endpoint_id = ? and d.tenant_id = ? and e.tenant_id = ?")) {
            ps.setObject(1, delivery);
            ps.setObject(2, endpoint);
            ps.setString(3, tenant.value());
            ps.setString(4, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    /** An endpoint's deliveries newest first by (created_at, id), after the given key, at most {@code limit}. */
    public List<DeliveryView> page(TenantId tenant, UUID endpoint, Instant afterAt, UUID afterId, int limit)
            throws SQLException {
        String keyset = afterAt == null ? "" : "and (d.created_at, d.id) < (?, ?) ";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(VIEW + "where d.endpoint_id = ? and d.tenant_id = ? "
                        + "and e.tenant_id = ? " + keyset + "order by d.created_at desc, d.id desc limit ?")) {
            int i = 1;
            ps.setObject(i++, endpoint);
            ps.setString(i++, tenant.value());
            ps.setString(i++, tenant.value());
            if (afterAt != null) {
                ps.setTimestamp(i++, Timestamp.from(afterAt));
                ps.setObject(i++, afterId);
            }
            ps.setInt(i, limit);
            List<DeliveryView> views = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    views.add(view(rs));
                }
            }
            return views;
        }
    }

    private static DeliveryView view(ResultSet rs) throws SQLException {
        return new DeliveryView(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                EventType.fromWire(rs.getString(3)),
                DeliveryStatus.fromWire(rs.getString(4)),
                rs.getInt(5),
                instant(rs.getTimestamp(6)),
                instant(rs.getTimestamp(7)),
                instant(rs.getTimestamp(8)),
                (Integer) rs.getObject(9),
                (Integer) rs.getObject(10),
                rs.getString(11),
                rs.getString(12));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
