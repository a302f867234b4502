package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A dataset read while versions are uploaded shows one moment: its {@code versionCount} and its
 * {@code latestVersion} come from the same snapshot. Read by two statements, an upload committing between them
 * made the dataset say N versions beside latest version N-1 (152 of 2,105 reads in the concurrency probe).
 */
@QuarkusTest
class DatasetViewWhileUploadingResourceTest {

    private static final int UPLOADERS = 2;
    private static final int UPLOADS_EACH = 15;
    private static final int READERS = 2;
    /** Reads per reader at most; they stop earlier once the uploads are done. */
    private static final int MAX_READS_EACH = 1_000;

    @Test
    void shouldShowAVersionCountEqualToTheLatestVersionWhileVersionsAreUploaded() throws Exception {
        String tenant = Api.uniqueTenant("viewrace");
        String admin = Api.createTenant(tenant);
        String path = Fixtures.datasetPath(tenant, "growing");
        byte[] csv = "id,x\n1,0.5\n2,1.5\n".getBytes(StandardCharsets.UTF_8);
        Fixtures.uploadVersion(tenant, admin, "growing", "text/csv", csv);

        ExecutorService pool = Executors.newFixedThreadPool(UPLOADERS + READERS);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger uploadersLeft = new AtomicInteger(UPLOADERS);
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<String> torn = new ConcurrentLinkedQueue<>();
        List<Future<?>> work = new ArrayList<>();
        try {
            for (int u = 0; u < UPLOADERS; u++) {
                int uploader = u;
                work.add(pool.submit(() -> {
                    go.await();
                    try {
                        for (int i = 0; i < UPLOADS_EACH; i++) {
                            // a row of its own: an upload identical to the latest version would make no version
                            byte[] grown = ("id,x\n1,0.5\n2,1.5\n" + (3 + uploader * UPLOADS_EACH + i) + ",2.5\n")
                                    .getBytes(StandardCharsets.UTF_8);
                            Fixtures.uploadVersion(tenant, admin, "growing", "text/csv", grown);
                        }
                    } finally {
                        uploadersLeft.decrementAndGet();
                    }
                    return null;
                }));
            }
            for (int r = 0; r < READERS; r++) {
                work.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < MAX_READS_EACH && uploadersLeft.get() > 0; i++) {
                        Response read = Api.as(admin).get(path);
                        assertThat(read.statusCode()).as(read.asString()).isEqualTo(200);
                        reads.incrementAndGet();
                        int count = read.path("versionCount");
                        int latest = read.path("latestVersion.version");
                        if (count != latest) {
                            torn.add("versionCount " + count + ", latestVersion " + latest);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : work) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(reads.get()).as("reads made while the uploads ran").isPositive();
        assertThat(torn)
                .as("reads of %d whose count and latest version disagree", reads.get())
                .isEmpty();
        // 1 before the race, then UPLOADERS * UPLOADS_EACH
        int expected = 1 + UPLOADERS * UPLOADS_EACH;
        Api.as(admin)
                .get(path)
                .then()
                .statusCode(200)
                .body("versionCount", equalTo(expected))
                .body("latestVersion.version", equalTo(expected));
    }
}
