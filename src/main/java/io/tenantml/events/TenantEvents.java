package io.tenantml.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.TimeOrderedIds;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The outbox of tenant events. {@link #publish} inserts the event into {@code tenant_event} inside the caller's
 * transaction (one is required): the event exists if and only if the change that causes it commits, so a crash
 * between the change and a delivery loses nothing, and a rolled-back change sends nothing.
 */
@ApplicationScoped
public class TenantEvents {

    /** Cluster event at the commit of an event: wakes the webhooks job on every node (payload: tenant). */
    public static final String PUBLISHED = "tenant-event-published";

    @Inject
    TenantContext tenantContext;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ClusterEvents cluster;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /**
     * Records an event of the tenant in context as part of the current transaction.
     *
     * @param data the event's {@code data} (thin: names and ids, no tenant data); the tenant is added
     * @return the event's id, which every delivery of it carries as {@code webhook-id}
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID publish(EventType type, Map<String, ?> data) {
        return publish(tenantContext.require(), type, data, true);
    }

    /**
     * {@link #publish} without waking the delivery job (an event that is delivered by other means, such as a
     * test event whose one delivery the caller creates).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID record(EventType type, Map<String, ?> data) {
        return publish(tenantContext.require(), type, data, false);
    }

    private UUID publish(TenantId tenant, EventType type, Map<String, ?> data, boolean fanOut) {
        Objects.requireNonNull(type, "type");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("tenant", tenant.value());
        if (data != null) {
            payload.putAll(data);
        }
        UUID id = TimeOrderedIds.next();
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into tenant_event "
                        + "(id, tenant_id, type, payload, created_at, fanned_out) values (?, ?, ?, ?::jsonb, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, tenant.value());
            ps.setString(3, type.wireName());
            ps.setString(4, json.writeValueAsString(payload));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setBoolean(6, !fanOut);
            ps.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("event " + type.wireName() + " could not be recorded", e);
        }
        if (fanOut) {
            cluster.publish(PUBLISHED, tenant.value());
        }
        return id;
    }
}
