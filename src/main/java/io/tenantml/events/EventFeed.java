package io.tenantml.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenant's events as a feed, read from the outbox ({@code tenant_event}) that webhooks deliver from: a tenant
 * sees every event whether or not it has an endpoint, and each one as a delivery carries it. Works on the tenant in
 * context only; every statement names its {@code tenant_id}.
 *
 * <p>The feed holds the events of the outbox's retention ({@code tenantml.webhooks.event-retention}, 90 days; the
 * webhooks feature deletes older ones with their deliveries, never one a delivery still retries), until the tenant is
 * offboarded (rows go by cascade).
 */
@ApplicationScoped
public class EventFeed {

    private static final String LIST = "events";
    private static final String OLDEST_FIRST = "events-oldest-first";
    private static final String COLUMNS = "select id, type, payload::text, created_at from tenant_event ";

    @Inject
    TenantContext tenantContext;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /**
     * One page of the tenant's events, newest first (then by id, as two events may share an instant). Keyset
     * paging on (created_at, id), served by {@code tenant_event_feed} (V108).
     */
    public Page<EventView> list(EventFilter filter, PageRequest page) {
        List<String> after = page.after(LIST, 2);
        TenantId tenant = tenantContext.require();
        StringBuilder sql = new StringBuilder(COLUMNS).append("where tenant_id = ?");
        List<Object> params = new ArrayList<>();
        params.add(tenant.value());
        filter(filter, sql, params);
        if (after != null) {
            sql.append(" and (created_at, id) < (?, ?)");
            params.add(Timestamp.from(PageRequest.instant(after.get(0))));
            params.add(PageRequest.value(after.get(1), UUID::fromString));
        }
        sql.append(" order by created_at desc, id desc limit ?");
        params.add(page.fetchSize());
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(c, ps, params);
            List<EventView> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(view(rs));
                }
            }
            return page.page(rows, LIST, e -> List.of(e.occurredAt().toString(), e.id().toString()));
        } catch (SQLException e) {
            throw new IllegalStateException("events could not be read", e);
        }
    }

    /**
     * One page of the tenant's events oldest first, in the order their transactions committed as far as any reader
     * can tell: only events of transactions older than every transaction still running, by (transaction, id). An
     * event written by a transaction still open, or any event after it, waits for it, so a client that polls with
     * {@code next} sees every event exactly once and never one behind its position. {@code next} is where to poll
     * from: the position after the last event served, or the cursor given when there is nothing new (null only
     * before any event was served).
     */
    public Page<EventView> listOldestFirst(EventFilter filter, PageRequest page) {
        List<String> after = page.after(OLDEST_FIRST, 2);
        TenantId tenant = tenantContext.require();
        StringBuilder sql = new StringBuilder("select id, type, payload::text, created_at, tx::text from tenant_event")
                .append(" where tenant_id = ? and tx < pg_snapshot_xmin(pg_current_snapshot())");
        List<Object> params = new ArrayList<>();
        params.add(tenant.value());
        filter(filter, sql, params);
        if (after != null) {
            sql.append(" and (tx, id) > (?::xid8, ?)");
            // a transaction id is an unsigned 64-bit number; anything else is no cursor of this list
            params.add(PageRequest.value(after.get(0), tx -> Long.toUnsignedString(Long.parseUnsignedLong(tx))));
            params.add(PageRequest.value(after.get(1), UUID::fromString));
        }
        sql.append(" order by tx, id limit ?");
        params.add(page.limit());
        List<EventView> rows = new ArrayList<>();
        List<String> last = after;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(view(rs));
                    last = List.of(rs.getString(5), rs.getObject(1, UUID.class).toString());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("events could not be read", e);
        }
        return new Page<>(rows, last == null ? page.cursor() : PageRequest.cursor(OLDEST_FIRST, last));
    }

    /** One event of the tenant; 404 for an id that is not one of its events (another tenant's included). */
    public EventView get(String id) {
        TenantId tenant = tenantContext.require();
        Optional<UUID> uuid = uuid(id);
        if (uuid.isPresent()) {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement(COLUMNS + "where tenant_id = ? and id = ?")) {
                ps.setString(1, tenant.value());
                ps.setObject(2, uuid.get());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return view(rs);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("event could not be read", e);
            }
        }
        throw ProblemException.notFound("no event '" + id + "'");
    }

    /** The filter's conditions, appended to {@code sql} with their values in {@code params}. */
    private static void filter(EventFilter filter, StringBuilder sql, List<Object> params) {
        if (!filter.types().isEmpty()) {
            sql.append(" and type = any (?)");
            params.add(filter.types().stream().map(EventType::wireName).toArray(String[]::new));
        }
        if (filter.from() != null) {
            sql.append(" and created_at >= ?");
            params.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" and created_at < ?");
            params.add(Timestamp.from(filter.to()));
        }
    }

    private static void bind(Connection c, PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof String[] array) {
                ps.setArray(i + 1, c.createArrayOf("varchar", array));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    private EventView view(ResultSet rs) throws SQLException {
        try {
            return new EventView(
                    rs.getObject(1, UUID.class),
                    EventType.fromWire(rs.getString(2)),
                    rs.getTimestamp(4).toInstant(),
                    json.readTree(rs.getString(3)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + rs.getObject(1) + " has unreadable data", e);
        }
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
