package io.tenantml.dataset;

import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: an Idempotency-Key claimed by a node that died mid-upload was never released (409 forever).
 * A claim expires after its lease and the retry of the same request takes it over.
 */
@QuarkusTest
class IdempotencyLeaseResourceTest {

    private static final byte[] CSV = "id,x\n1,0.5\n2,1.5\n".getBytes(StandardCharsets.UTF_8);

    @Inject
    AgroalDataSource dataSource;

    /** A pending claim as the upload of {@code CSV} to {@code dataset} takes it, {@code age} ago. */
    private void pendingClaim(String tenant, String key, String dataset, Duration age) throws Exception {
        String requestSha = hex(dataset + "\ncsv\n" + hex(CSV));
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("insert into dataset_idempotency (id, tenant_id, "
                        + "idempotency_key, dataset_name, request_sha256, created_at) values (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, tenant);
            insert.setString(3, key);
            insert.setString(4, dataset);
            insert.setString(5, requestSha);
            insert.setTimestamp(6, Timestamp.from(Instant.now().minus(age)));
            insert.executeUpdate();
        }
    }

    private static String hex(String text) throws Exception {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static io.restassured.response.Response upload(String tenant, String admin, String key) {
        return Api.as(admin)
                .header("Idempotency-Key", key)
                .contentType("text/csv")
                .body(CSV)
                .post(Fixtures.datasetPath(tenant, "readings") + "/versions");
    }

    @Test
    void shouldLetARetryTakeOverAClaimWhoseLeaseExpired() throws Exception {
        String tenant = Api.uniqueTenant("lease");
        String admin = Api.createTenant(tenant);
        pendingClaim(tenant, "dead-node-upload", "readings", Duration.ofHours(1));

        upload(tenant, admin, "dead-node-upload")
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue())
                .body("version", equalTo(1));
        // Completed now: a further retry replays the answer.
        upload(tenant, admin, "dead-node-upload")
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", equalTo("true"))
                .body("version", equalTo(1));
    }

    @Test
    void shouldStillAnswer409WithRetryAfterWhileTheClaimIsWithinItsLease() throws Exception {
        String tenant = Api.uniqueTenant("lease");
        String admin = Api.createTenant(tenant);
        pendingClaim(tenant, "running-upload", "readings", Duration.ofSeconds(5));

        // retryable like concurrent-change: the first request will have finished or released the key
        upload(tenant, admin, "running-upload")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/idempotency-key-in-use"))
                .header("Retry-After", equalTo("1"));
    }
}
