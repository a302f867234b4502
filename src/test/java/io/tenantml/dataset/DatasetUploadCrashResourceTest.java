package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StartupSweeps;
import io.tenantml.storage.StorageConfig;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.Immutable;
import io.tenantml.testing.TestDatabase;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What a node SIGKILLed in the middle of an upload leaves in the tenant's files, and that a restart removes it.
 * The crashed state is written as the dead node left it (probed with the packaged application: a kill just after
 * the rows file appeared and before the version committed).
 */
@QuarkusTest
class DatasetUploadCrashResourceTest {

    private static final String ROWS = "id,colour\n1,red\n2,green\n3,blue\n";
    private static final String OTHER_ROWS = "id,colour\n1,red\n2,green\n3,yellow\n";

    @Inject
    BlobStore blobs;

    @Inject
    StartupSweeps sweeps;

    @Inject
    StorageConfig storage;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void shouldDeleteAfterStartTheRowsOfUploadsThatDiedBeforeTheirCommitSoThatTheyNoLongerCountAgainstStoredBytes()
            throws IOException {
        String tenant = Api.uniqueTenant("upcrash");
        String admin = Api.createTenant(tenant);
        TenantId id = new TenantId(tenant);
        upload(tenant, admin, "p", ROWS).then().statusCode(201);
        long stored = blobs.usedBytes(id);
        // an upload of other rows to "p", and the first upload of "q", each killed between storing its rows file
        // (content-addressed, hence the made-up hashes) and committing its version
        BlobKey deadRows = BlobKey.of("datasets", "p", "rows", "ab".repeat(32) + ".bin.gz");
        BlobKey deadQuarantine = BlobKey.of("datasets", "p", "quarantine", "cd".repeat(32) + ".ndjson.gz");
        BlobKey deadFirst = BlobKey.of("datasets", "q", "rows", "ef".repeat(32) + ".bin.gz");
        blobs.put(id, deadRows, new ByteArrayInputStream(new byte[20_000]));
        blobs.put(id, deadQuarantine, new ByteArrayInputStream(new byte[1_000]));
        blobs.put(id, deadFirst, new ByteArrayInputStream(new byte[5_000]));
        Fixtures.plan(tenant, Map.of("storedBytes", stored + 10_000));
        // what the dead uploads left is counted against the plan: new rows no longer fit
        assertThat(upload(tenant, admin, "p", OTHER_ROWS).statusCode()).isEqualTo(413);

        CompletableFuture<StartupSweeps.Result> sweep = sweeps.start();

        await().atMost(Duration.ofSeconds(60)).until(sweep::isDone);
        assertThat(blobs.exists(id, deadRows)).isFalse();
        assertThat(blobs.exists(id, deadQuarantine)).isFalse();
        assertThat(blobs.exists(id, deadFirst)).isFalse();
        assertThat(blobs.usedBytes(id)).isEqualTo(stored);
        Api.as(admin)
                .get(Fixtures.datasetPath(tenant, "p") + "/versions/1/rows")
                .then()
                .statusCode(200);
        Response again = upload(tenant, admin, "p", OTHER_ROWS);
        assertThat(again.statusCode()).as(again.asString()).isEqualTo(201);
        assertThat(again.<Integer>path("version")).isEqualTo(2);
    }

    private static Response upload(String tenant, String admin, String dataset, String csv) {
        return Fixtures.upload(tenant, admin, dataset, "text/csv", csv.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldSweepTheOtherUnreferencedFilesWhenOneCannotBeDeleted() throws Exception {
        String tenant = Api.uniqueTenant("upstuck");
        String admin = Api.createTenant(tenant);
        TenantId id = new TenantId(tenant);
        upload(tenant, admin, "p", ROWS).then().statusCode(201);
        upload(tenant, admin, "q", ROWS).then().statusCode(201);
        BlobKey stuck = BlobKey.of("datasets", "p", "rows", "ab".repeat(32) + ".bin.gz");
        BlobKey deadP = BlobKey.of("datasets", "p", "rows", "cd".repeat(32) + ".bin.gz");
        BlobKey deadQ = BlobKey.of("datasets", "q", "rows", "ef".repeat(32) + ".bin.gz");
        for (BlobKey key : List.of(stuck, deadP, deadQ)) {
            blobs.put(id, key, new ByteArrayInputStream(new byte[100]));
        }
        Path stuckFile = storage.dataDir().resolve("blobs").resolve(tenant).resolve(stuck.path());
        Immutable.set(stuckFile);
        try {
            CompletableFuture<StartupSweeps.Result> sweep = sweeps.start();

            await().atMost(Duration.ofSeconds(60)).until(sweep::isDone);
            assertThat(blobs.exists(id, deadP)).as("same dataset").isFalse();
            assertThat(blobs.exists(id, deadQ)).as("the next dataset").isFalse();
            assertThat(blobs.exists(id, stuck)).isTrue();
        } finally {
            Immutable.clear(stuckFile);
        }
        assertThat(blobs.list(id, "datasets/")).hasSize(3);
    }

    /**
     * The sweep runs beside requests: a version being committed while the sweep walks has its files stored (under
     * the dataset's locks) but not yet named by a committed row. Here the test is that commit: it holds the name
     * lock, stores the file, inserts the version, and commits only once the sweep waits for the lock.
     */
    @Test
    void shouldKeepTheFilesOfAVersionCommittedWhileTheSweepRuns() throws Exception {
        String tenant = Api.uniqueTenant("upbeside");
        String admin = Api.createTenant(tenant);
        TenantId id = new TenantId(tenant);
        upload(tenant, admin, "p", ROWS).then().statusCode(201);
        String sha = "ab".repeat(32);
        BlobKey committing = BlobKey.of("datasets", "p", "rows", sha + ".bin.gz");
        BlobKey dead = BlobKey.of("datasets", "p", "rows", "cd".repeat(32) + ".bin.gz");
        blobs.put(id, dead, new ByteArrayInputStream(new byte[100]));

        CompletableFuture<StartupSweeps.Result> sweep;
        try (Connection commit = TestDatabase.ownerConnection(jdbcUrl)) {
            commit.setAutoCommit(false);
            TestDatabase.holdNameLock(commit, "dataset", tenant, "p");
            blobs.put(id, committing, new ByteArrayInputStream(new byte[100]));
            try (PreparedStatement insert = commit.prepareStatement(
                    "insert into dataset_version (id, tenant_id, dataset_id, version, sha256, blob_key, row_count,"
                            + " quarantined_rows, source_format, source_sha256, source_bytes, schema_json,"
                            + " profile_json, validation_json, created_at) select gen_random_uuid(), tenant_id, id, 2,"
                            + " ?, ?, 3, 0, 'csv', ?, 10, '{}', '{}', '{}', now() from dataset"
                            + " where tenant_id = ? and name = 'p'")) {
                insert.setString(1, sha);
                insert.setString(2, committing.path());
                insert.setString(3, sha);
                insert.setString(4, tenant);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }

            sweep = sweeps.start();

            await("the sweep waiting for the dataset's lock")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .failFast("the sweep ended while the test held the lock", sweep::isDone)
                    .until(() -> TestDatabase.advisoryLockWaiters(commit) == 1);
            commit.commit();
        }

        await().atMost(Duration.ofSeconds(60)).until(sweep::isDone);
        assertThat(blobs.exists(id, committing)).isTrue();
        assertThat(blobs.exists(id, dead)).isFalse();
    }
}
