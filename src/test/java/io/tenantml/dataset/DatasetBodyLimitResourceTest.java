package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StartupSweeps;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The body limit (413 naming it, nothing stored) and the start-up sweep of crashed uploads' work files. */
@QuarkusTest
@TestProfile(DatasetBodyLimitResourceTest.SmallBodies.class)
class DatasetBodyLimitResourceTest {

    static final int LIMIT = 1024;
    /** A spool directory of this test's own, so that what is in it is only this test's doing. */
    static final Path SPOOL_DIR = Path.of(
            System.getProperty("java.io.tmpdir"),
            "tenantml-body-limit-test-" + ProcessHandle.current().pid());

    public static class SmallBodies implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tenantml.dataset.max-body-bytes",
                    Integer.toString(LIMIT),
                    "tenantml.dataset.spool-dir",
                    SPOOL_DIR.toString());
        }
    }

    @Inject
    BlobStore blobs;

    @Inject
    StartupSweeps sweeps;

    @Test
    void shouldRejectABodyOverTheLimitWith413NamingItAndStoreNothing() throws IOException {
        String tenant = Api.uniqueTenant("body");
        String admin = Api.createTenant(tenant);
        StringBuilder csv = new StringBuilder("n\n");
        for (int i = 0; csv.length() <= LIMIT; i++) {
            csv.append(i).append('\n');
        }
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);

        Api.as(admin)
                .contentType("text/csv")
                .header("Idempotency-Key", "k-body")
                .body(body)
                .post(Fixtures.datasetPath(tenant, "d") + "/versions")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("limit", equalTo("maxBodyBytes"))
                .body("limitValue", equalTo(LIMIT))
                .body("detail", containsString("maxBodyBytes = " + LIMIT));

        Api.as(admin).get(Fixtures.datasetPath(tenant, "d")).then().statusCode(404);
        assertThat(blobs.list(new TenantId(tenant), "")).isEmpty();
        try (Stream<Path> files = Files.list(uploadsDir())) {
            assertThat(files).as("work files left in %s", SPOOL_DIR).isEmpty();
        }
        // The key was not kept by the refused upload.
        Api.as(admin)
                .contentType("text/csv")
                .header("Idempotency-Key", "k-body")
                .body("n\n1\n")
                .post(Fixtures.datasetPath(tenant, "d") + "/versions")
                .then()
                .statusCode(201)
                .body("version", equalTo(1));
    }

    @Test
    void shouldDeleteOnlyStaleWorkFilesOfCrashedUploadsAfterStart() throws IOException {
        Path dir = uploadsDir();
        Path stale = Files.writeString(dir.resolve("upload-crashed.spool"), "a\n1\n");
        Path staleRows = Files.writeString(dir.resolve("rows-crashed.bin.gz"), "x");
        Path fresh = Files.writeString(dir.resolve("upload-running.spool"), "a\n1\n");
        Path other = Files.writeString(dir.resolve("notes.txt"), "not ours");
        FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        for (Path p : new Path[] {stale, staleRows, other}) {
            Files.setLastModifiedTime(p, twoHoursAgo);
        }

        java.util.concurrent.CompletableFuture<StartupSweeps.Result> sweep = sweeps.start();

        await().atMost(Duration.ofSeconds(60)).until(sweep::isDone);

        assertThat(stale).doesNotExist();
        assertThat(staleRows).doesNotExist();
        assertThat(fresh).exists();
        assertThat(other).exists();
        Files.delete(fresh);
        Files.delete(other);
    }

    /** The directory DatasetService spools into under this profile. */
    static Path uploadsDir() {
        return SPOOL_DIR.resolve("tenantml-uploads");
    }
}
