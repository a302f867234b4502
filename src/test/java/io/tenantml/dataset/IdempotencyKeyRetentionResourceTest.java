package io.tenantml.dataset;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.dataset.internal.IdempotencyKeyRetention;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * An upload's Idempotency-Key is remembered for the idempotency retention (7 days by default): within it a retry
 * replays and another body is refused; after it, the key is forgotten and names a new request.
 */
@QuarkusTest
class IdempotencyKeyRetentionResourceTest {

    @Inject
    IdempotencyKeyRetention retention;

    @Inject
    DatasetConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldForgetAKeyPastTheRetentionAndKeepReplayingAYoungerOne() throws Exception {
        String tenant = Api.uniqueTenant("keys");
        String admin = Api.createTenant(tenant);
        upload(admin, tenant, "weekly-export", "id,x\n1,0.5\n")
                .then()
                .statusCode(201)
                .body("version", equalTo(1));
        upload(admin, tenant, "daily-export", "id,x\n1,0.5\n2,1.5\n")
                .then()
                .statusCode(201)
                .body("version", equalTo(2));
        upload(admin, tenant, "weekly-export", "id,x\n1,0.5\n3,2.5\n")
                .then()
                .statusCode(422)
                .body("type", endsWith("/idempotency-key-reused"));
        age(tenant, "weekly-export", config.idempotencyRetention().plus(Duration.ofHours(1)));

        retention.prune();

        upload(admin, tenant, "weekly-export", "id,x\n1,0.5\n3,2.5\n")
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", nullValue())
                .body("version", equalTo(3));
        upload(admin, tenant, "daily-export", "id,x\n1,0.5\n2,1.5\n")
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", equalTo("true"))
                .body("version", equalTo(2));
    }

    private static Response upload(String admin, String tenant, String key, String csv) {
        return Api.as(admin)
                .header("Idempotency-Key", key)
                .contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .post(Fixtures.datasetPath(tenant, "exports") + "/versions");
    }

    private void age(String tenant, String key, Duration age) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update dataset_idempotency set created_at = ?"
                        + " where tenant_id = ? and idempotency_key = ?")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now().minus(age)));
            ps.setString(2, tenant);
            ps.setString(3, key);
            ps.executeUpdate();
        }
    }
}
