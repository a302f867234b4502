package io.tenantml.webhooks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The outbox keeps a tenant's events for the event retention (90 days by default), then they go with their
 * deliveries; an event a delivery still retries stays until that ends.
 */
@QuarkusTest
class EventRetentionResourceTest {

    @Inject
    EventRetention retention;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldDeleteEventsPastTheRetentionWithTheirDeliveriesButKeepOneADeliveryStillRetries() throws Exception {
        String tenant = Api.uniqueTenant("retention");
        String admin = Api.createTenant(tenant);
        UUID endpoint = UUID.fromString(Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:18580/retention", "events", List.of("model.promoted")))
                .post(Fixtures.base(tenant) + "/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
        Instant now = Instant.now();
        UUID delivered = event(tenant, now.minus(Duration.ofDays(91)));
        delivery(tenant, endpoint, delivered, "delivered", now);
        UUID retrying = event(tenant, now.minus(Duration.ofDays(91)));
        // due in a day: this node's own delivery job leaves it pending meanwhile
        delivery(tenant, endpoint, retrying, "pending", now.plus(Duration.ofDays(1)));
        UUID recent = event(tenant, now.minus(Duration.ofDays(89)));
        delivery(tenant, endpoint, recent, "delivered", now);

        assertThat(retention.prune()).isGreaterThanOrEqualTo(1);

        assertThat(events(tenant)).containsExactlyInAnyOrder(retrying, recent);
        assertThat(deliveriesOf(delivered)).isZero();
        assertThat(deliveriesOf(retrying)).isOne();
        List<String> feed = Api.as(admin)
                .get(Fixtures.base(tenant) + "/events")
                .then()
                .statusCode(200)
                .extract()
                .path("items.id");
        assertThat(feed).containsExactlyInAnyOrder(retrying.toString(), recent.toString());
        Api.as(admin).get(Fixtures.base(tenant) + "/events/" + delivered).then().statusCode(404);
    }

    private UUID event(String tenant, Instant at) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into tenant_event (id, tenant_id, type, payload,"
                        + " created_at, fanned_out) values (?, ?, 'model.promoted', '{}'::jsonb, ?, true)")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.executeUpdate();
        }
        return id;
    }

    private void delivery(String tenant, UUID endpoint, UUID event, String status, Instant nextAttempt)
            throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into webhook_delivery (id, tenant_id, endpoint_id,"
                        + " event_id, status, attempts, next_attempt_at, retry_until, created_at)"
                        + " values (?, ?, ?, ?, ?, 1, ?, ?, now())")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, tenant);
            ps.setObject(3, endpoint);
            ps.setObject(4, event);
            ps.setString(5, status);
            ps.setTimestamp(6, status.equals("pending") ? Timestamp.from(nextAttempt) : null);
            ps.setTimestamp(7, Timestamp.from(nextAttempt.plus(Duration.ofDays(1))));
            ps.executeUpdate();
        }
    }

    private List<UUID> events(String tenant) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select id from tenant_event where tenant_id = ?")) {
            ps.setString(1, tenant);
            List<UUID> ids = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    private int deliveriesOf(UUID event) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from webhook_delivery where event_id = ?")) {
            ps.setObject(1, event);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
