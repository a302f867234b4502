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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Claims of due deliveries by several nodes at once never hand one attempt to two of them. */
@QuarkusTest
class DeliveryClaimResourceTest {

    @Inject
    DeliveryStore store;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldNeverHandTheSameAttemptToTwoNodesClaimingAtOnce() throws Exception {
        String tenant = Api.uniqueTenant("wh-claim");
        String admin = Api.createTenant(tenant);
        String endpoint = Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:18580/claims", "events", List.of("model.promoted")))
                .post(Fixtures.base(tenant) + "/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        // 300 deliveries due in an hour: not yet due for this node's own job, due for the claims below, which
        // ask as of two hours from now
        Instant now = Instant.now();
        int n = 300;
        try (Connection c = dataSource.getConnection();
                PreparedStatement event = c.prepareStatement("insert into tenant_event (id, tenant_id, type, payload, "
                        + "created_at, fanned_out) values (?, ?, 'model.promoted', '{}'::jsonb, now(), true)");
                PreparedStatement delivery = c.prepareStatement("insert into webhook_delivery (id, tenant_id, "
                        + "endpoint_id, event_id, status, attempts, next_attempt_at, retry_until, created_at) "
                        + "values (?, ?, ?, ?, 'pending', 0, ?, ?, now())")) {
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                event.setObject(1, id);
                event.setString(2, tenant);
                event.executeUpdate();
                delivery.setObject(1, UUID.randomUUID());
                delivery.setString(2, tenant);
                delivery.setObject(3, UUID.fromString(endpoint));
                delivery.setObject(4, id);
                delivery.setTimestamp(5, java.sql.Timestamp.from(now.plus(Duration.ofHours(1))));
                delivery.setTimestamp(6, java.sql.Timestamp.from(now.plus(Duration.ofDays(1))));
                delivery.executeUpdate();
            }
        }
        Instant asOf = now.plus(Duration.ofHours(2));
        // The claims below take whatever is due cluster-wide: deliveries other test classes left retrying in this
        // database are put out of their reach meanwhile, and back afterwards.
        shiftOtherTenantsDeliveries(tenant, "+");
        ExecutorService nodes = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<UUID>>> claims = new ArrayList<>();
            for (int node = 0; node < 4; node++) {
                String name = "test-node-" + node;
                Callable<List<UUID>> claimAll = () -> {
                    List<UUID> mine = new ArrayList<>();
                    while (true) {
                        List<DeliveryStore.Claimed> batch = store.claim(name, 7, asOf, asOf.plus(Duration.ofHours(1)));
                        if (batch.isEmpty()) {
                            return mine;
                        }
                        batch.forEach(b -> assertThat(b.attempt()).isEqualTo(1));
                        batch.forEach(b -> mine.add(b.id()));
                    }
                };
                claims.add(nodes.submit(claimAll));
            }
            List<UUID> all = Collections.synchronizedList(new ArrayList<>());
            int nodesThatClaimed = 0;
            for (Future<List<UUID>> f : claims) {
                List<UUID> mine = f.get();
                nodesThatClaimed += mine.isEmpty() ? 0 : 1;
                all.addAll(mine);
            }
            assertThat(all).hasSize(n).doesNotHaveDuplicates();
            assertThat(nodesThatClaimed).as("claims really ran side by side").isGreaterThan(1);
        } finally {
            nodes.shutdownNow();
            shiftOtherTenantsDeliveries(tenant, "-");
            // the endpoint goes, and its deliveries with it: nothing is ever sent
            Api.as(admin)
                    .delete(Fixtures.base(tenant) + "/webhooks/" + endpoint)
                    .then()
                    .statusCode(204);
        }
    }

    private void shiftOtherTenantsDeliveries(String tenant, String sign) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement shift = c.prepareStatement("update webhook_delivery set next_attempt_at = "
                        + "next_attempt_at " + sign + " interval '1000 days' where tenant_id <> ?")) {
            shift.setString(1, tenant);
            shift.executeUpdate();
        }
    }
}
