package io.tenantml.serving;

import static io.tenantml.serving.ServingFixtures.base;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobStore;
import io.tenantml.testing.Api;
import io.tenantml.testing.RunHolds;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "state that survives": a batch prediction of a tenant that is leaving stops at its next checkpoint,
 * and offboarding waits for the tenant's running runs to stop before it deletes rows and files, so that no file
 * of the tenant is written, and no model of it put back into the cache, after its files and cache entries are
 * gone. {@link RunHolds} keeps the batch RUNNING (without sleeping) while the offboarding begins.
 */
@QuarkusTest
class BatchOffboardingResourceTest {

    @Inject
    RunHolds holds;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    BlobStore blobs;

    @Inject
    LoadedModels models;

    @Test
    void shouldStopARunningBatchAtItsNextCheckpointWhenItsTenantIsLeaving() throws Exception {
        String tenant = Api.uniqueTenant("batchleaving");
        String admin = ServingFixtures.penguinsTenant(tenant);
        holds.hold(tenant);
        String batch;
        try {
            batch = submitBatch(tenant, admin);
            awaitRunState(batch, "RUNNING");
            // Leaving, as the first step of an offboarding makes it, but nobody asked the run to stop.
            sql("update tenant set status = 'leaving' where id = ?", tenant);
        } finally {
            holds.releaseAll(tenant);
        }
        awaitRunState(batch, "CANCELLED");
        assertThat(resultsKey(batch)).as("results of the stopped batch").isNull();
        assertThat(models.isLoaded(new TenantId(tenant), "species", 1))
                .as("the leaving tenant's model loaded by its batch")
                .isFalse();
    }

    @Test
    void shouldWaitForARunningBatchToStopBeforeDeletingTheTenantsFilesAndLeaveNoFileOrCachedModel() throws Exception {
        String tenant = Api.uniqueTenant("batchoffboard");
        String admin = ServingFixtures.penguinsTenant(tenant);
        TenantId id = new TenantId(tenant);
        ServingFixtures.predict(
                        tenant, admin, "species", Map.of("records", java.util.List.of(ServingFixtures.penguin())))
                .then()
                .statusCode(200);
        assertThat(models.isLoaded(id, "species", 1)).isTrue();
        holds.hold(tenant);
        CompletableFuture<Integer> offboarding;
        try {
            String batch = submitBatch(tenant, admin);
            awaitRunState(batch, "RUNNING");
            offboarding = CompletableFuture.supplyAsync(
                    () -> Api.asOperator().delete("/api/v1/tenants/" + tenant).statusCode());
            // The offboarding asked the run to stop ...
            await().atMost(Duration.ofSeconds(30)).until(() -> cancelRequested(batch));
            // ... and waits while it runs: the tenant's files are still there.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !offboarding.isDone());
            assertThat(blobs.tenants())
                    .as("tenants with files while the batch runs")
                    .contains(id);
        } finally {
            holds.releaseAll(tenant);
        }
        assertThat(offboarding.get(60, TimeUnit.SECONDS))
                .as("the offboarding's status")
                .isEqualTo(204);
        assertThat(blobs.tenants())
                .as("tenants with files after the offboarding")
                .doesNotContain(id);
        assertThat(models.isLoaded(id, "species", 1))
                .as("the offboarded tenant's model")
                .isFalse();
        assertThat(count("select count(*) from run where tenant_id = ?", tenant))
                .isZero();
    }

    private static String submitBatch(String tenant, String admin) {
        return Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("dataset", "penguins"))
                .post(base(tenant) + "/models/species/batch-predictions")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    private void awaitRunState(String run, String state) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> state.equals(value("select state from run where id = ?", UUID.fromString(run))));
    }

    private boolean cancelRequested(String run) throws Exception {
        return Boolean.TRUE.equals(value("select cancel_requested from run where id = ?", UUID.fromString(run)));
    }

    private Object resultsKey(String batch) throws Exception {
        return value("select results_key from batch_prediction where id = ?", UUID.fromString(batch));
    }

    private Object value(String query, Object parameter) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(query)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    private long count(String query, Object parameter) throws Exception {
        return ((Number) value(query, parameter)).longValue();
    }

    private void sql(String statement, Object parameter) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setObject(1, parameter);
            ps.executeUpdate();
        }
    }
}
