package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
    DatasetService datasets;

    @Test
    void shouldDeleteAtStartTheRowsOfUploadsThatDiedBeforeTheirCommitSoThatTheyNoLongerCountAgainstStoredBytes()
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

        datasets.sweepUnreferencedFiles(null);

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
}
