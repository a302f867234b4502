package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ingestion pass starts while the body is still arriving, against the dataset as it was then; an upload
 * whose dataset changed before its body was complete is checked against the dataset as it is at the claim.
 */
@QuarkusTest
@TestProfile(DatasetUploadWhileChangedResourceTest.OwnSpool.class)
class DatasetUploadWhileChangedResourceTest {

    /** A spool directory of this test's own, so that a spool file in it is this test's upload. */
    static final Path SPOOL_DIR = Path.of(
            System.getProperty("java.io.tmpdir"),
            "tenantml-while-changed-test-" + ProcessHandle.current().pid());

    public static class OwnSpool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tenantml.dataset.spool-dir", SPOOL_DIR.toString());
        }
    }

    @Test
    void shouldCheckAnUploadAgainstASchemaDeclaredWhileItsBodyArrived() throws Exception {
        String tenant = Api.uniqueTenant("changed");
        String admin = Api.createTenant(tenant);
        CountDownLatch declared = new CountDownLatch(1);
        // The first rows, then the last two only once the schema has been declared: the pass, started without
        // a schema, infers "n" as numeric.
        InputStream rest = new InputStream() {
            private final InputStream tail = new ByteArrayInputStream("3\n4\n".getBytes(StandardCharsets.UTF_8));

            @Override
            public int read() throws IOException {
                try {
                    declared.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                return tail.read();
            }
        };
        // More than RESTEasy Reactive buffers before it calls the resource (quarkus.rest.input-buffer-size, 10 KB).
        StringBuilder first = new StringBuilder("n\n");
        for (int i = 1; i <= 5_000; i++) {
            first.append(i).append('\n');
        }
        InputStream body = new SequenceInputStream(
                new ByteArrayInputStream(first.toString().getBytes(StandardCharsets.UTF_8)), rest);
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> upload = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                                + Fixtures.datasetPath(tenant, "d") + "/versions"))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        await().atMost(Duration.ofSeconds(30)).until(this::anUploadIsBeingSpooled);
        Api.as(admin)
                .contentType("application/json")
                .body(Map.of(
                        "schema",
                        Map.of(
                                "columns",
                                java.util.List.of(Map.of("name", "n", "type", "categorical", "nullable", true)))))
                .put(Fixtures.datasetPath(tenant, "d"))
                .then()
                .statusCode(201);
        declared.countDown();

        HttpResponse<String> response = upload.get();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonPath version = JsonPath.from(response.body());
        assertThat(version.getInt("rows")).isEqualTo(5_002);
        assertThat(version.getString("schema.columns[0].type")).isEqualTo("categorical");
        try (Stream<Path> files = Files.list(SPOOL_DIR.resolve("tenantml-uploads"))) {
            assertThat(files).as("work files left").isEmpty();
        }
    }

    private boolean anUploadIsBeingSpooled() throws IOException {
        Path dir = SPOOL_DIR.resolve("tenantml-uploads");
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".spool"));
        }
    }
}
