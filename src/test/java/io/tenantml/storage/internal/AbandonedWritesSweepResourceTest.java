package io.tenantml.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StartupSweeps;
import io.tenantml.storage.StorageConfig;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A node SIGKILLed while it wrote a blob (an upload's rows, a batch's results) leaves the half-written file in the
 * tenant's directory; probed with the packaged application, it stayed there across restarts, counted in the
 * tenant's stored bytes, while the redone work wrote a file of its own.
 */
@QuarkusTest
class AbandonedWritesSweepResourceTest {

    @Inject
    BlobStore blobs;

    @Inject
    StorageConfig storage;

    @Inject
    StartupSweeps sweeps;

    @Test
    void shouldDeleteAfterStartTheHalfWrittenFileOfAWriteWhoseNodeDiedSoThatItNoLongerCountsAgainstStoredBytes()
            throws Exception {
        String tenant = Api.uniqueTenant("halfwrite");
        String admin = Api.createTenant(tenant);
        TenantId id = new TenantId(tenant);
        upload(tenant, admin, "id,colour\n1,red\n").then().statusCode(201);
        long stored = blobs.usedBytes(id);
        // the dead node's write: neither committed nor closed, last written two hours ago
        BlobStore.BlobWriter dead = blobs.writer(id, BlobKey.of("datasets", "p", "rows", "ab".repeat(32) + ".bin.gz"));
        dead.stream().write(new byte[20_000]);
        dead.stream().flush();
        List<Path> half;
        try (Stream<Path> files = Files.walk(storage.dataDir().resolve("blobs").resolve(tenant))) {
            half = files.filter(p -> p.getFileName().toString().endsWith(".partial"))
                    .toList();
        }
        assertThat(half).hasSize(1);
        Files.setLastModifiedTime(half.get(0), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Fixtures.plan(tenant, Map.of("storedBytes", stored + 10_000));
        assertThat(upload(tenant, admin, "id,colour\n1,blue\n").statusCode()).isEqualTo(413);

        sweeps.start();

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(half.get(0)).doesNotExist());
        assertThat(blobs.usedBytes(id)).isEqualTo(stored);
        upload(tenant, admin, "id,colour\n1,blue\n").then().statusCode(201);
        dead.close();
    }

    private static io.restassured.response.Response upload(String tenant, String admin, String csv) {
        return Fixtures.upload(tenant, admin, "p", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
    }
}
