package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobStore;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DatasetIdempotencyResourceTest {

    @Inject
    BlobStore blobs;

    @Test
    void shouldReplaySameVersionAndKeepOneCopyWhenKeyAndBodyRepeat() throws IOException {
        String tenant = Api.uniqueTenant("idem");
        String admin = Api.createTenant(tenant);
        byte[] body = Fixtures.resource("penguins.csv");
        var first = Api.as(admin)
                .contentType("text/csv")
                .header("Idempotency-Key", "penguins-1")
                .body(body)
                .post(Fixtures.datasetPath(tenant, "p") + "/versions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        var again = Api.as(admin)
                .contentType("text/csv")
                .header("Idempotency-Key", "penguins-1")
                .body(body)
                .post(Fixtures.datasetPath(tenant, "p") + "/versions")
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", "true")
                .extract()
                .jsonPath();
        assertThat(again.getInt("version")).isEqualTo(first.getInt("version")).isEqualTo(1);
        assertThat(again.getString("sha256")).isEqualTo(first.getString("sha256"));
        assertThat(again.getString("createdAt")).isEqualTo(first.getString("createdAt"));
        Api.as(admin).get(Fixtures.datasetPath(tenant, "p")).then().body("versionCount", equalTo(1));
        assertThat(blobs.list(new TenantId(tenant), "datasets/p/")).hasSize(1);
    }

    @Test
    void shouldRefuseSameKeyWithOtherBodyWith422() {
        String tenant = Api.uniqueTenant("idem");
        String admin = Api.createTenant(tenant);
        Api.as(admin)
                .contentType("text/csv")
                .header("Idempotency-Key", "k")
                .body("a\n1\n")
                .post(Fixtures.datasetPath(tenant, "p") + "/versions")
                .then()
                .statusCode(201);
        Api.as(admin)
                .contentType("text/csv")
                .header("Idempotency-Key", "k")
                .body("a\n2\n")
                .post(Fixtures.datasetPath(tenant, "p") + "/versions")
                .then()
                .statusCode(422)
                .body("type", org.hamcrest.Matchers.endsWith("idempotency-key-reused"));
        Api.as(admin).get(Fixtures.datasetPath(tenant, "p")).then().body("versionCount", equalTo(1));
    }

    @Test
    void shouldGiveOneVersionWhenTwoUploadsWithOneKeyRace() throws Exception {
        String tenant = Api.uniqueTenant("race");
        String admin = Api.createTenant(tenant);
        byte[] flights = Fixtures.resource("flights-20k.json");
        // every round's rows differ from the latest version's (identical ones would make no version)
        byte[][] bodies = {flights, Fixtures.withoutTheFirstRecord(flights)};
        for (int round = 0; round < 3; round++) {
            byte[] body = bodies[round % 2];
            String key = "race-" + round;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<io.restassured.response.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return Api.as(admin)
                            .contentType("application/json")
                            .header("Idempotency-Key", key)
                            .body(body)
                            .post(Fixtures.datasetPath(tenant, "flights") + "/versions");
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            List<Integer> versions = new ArrayList<>();
            for (Future<io.restassured.response.Response> call : calls) {
                io.restassured.response.Response r = call.get();
                statuses.add(r.statusCode());
                if (r.statusCode() == 201) {
                    versions.add(r.jsonPath().getInt("version"));
                }
                if (r.statusCode() == 409) {
                    // the loser is told the key is in use and when to retry (then it gets the replay)
                    assertThat(r.<String>path("type")).as(r.asString()).endsWith("/idempotency-key-in-use");
                    assertThat(r.header("Retry-After")).as(r.asString()).isEqualTo("1");
                }
            }
            pool.shutdown();
            assertThat(statuses).as("round %d", round).contains(201).allMatch(s -> s == 201 || s == 409);
            int expected = round + 1;
            assertThat(versions).as("both 201s are the same version").allMatch(v -> v == expected);
        }
        Api.as(admin).get(Fixtures.datasetPath(tenant, "flights")).then().body("versionCount", equalTo(3));
    }

    @Test
    void shouldGiveSameSha256ForSameContent() throws IOException {
        String tenant = Api.uniqueTenant("sha");
        String admin = Api.createTenant(tenant);
        byte[] body = Fixtures.resource("seattle-weather.csv");
        String sha1 = Fixtures.upload(tenant, admin, "w", "text/csv", body)
                .then()
                .statusCode(201)
                .extract()
                .path("sha256");
        // another version between the two (the same rows as the latest version would make none)
        String csv = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        byte[] withoutTheLastRow = csv.substring(0, csv.stripTrailing().lastIndexOf('\n') + 1)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Fixtures.upload(tenant, admin, "w", "text/csv", withoutTheLastRow)
                .then()
                .statusCode(201)
                .body("version", equalTo(2));
        String sha3 = Fixtures.upload(tenant, admin, "w", "text/csv", body)
                .then()
                .statusCode(201)
                .body("version", equalTo(3))
                .extract()
                .path("sha256");
        assertThat(sha3).isEqualTo(sha1);
        // Content-addressed: versions 1 and 3 share one rows file.
        assertThat(blobs.list(new TenantId(tenant), "datasets/w/rows/")).hasSize(2);
        Api.as(admin)
                .get(Fixtures.datasetPath(tenant, "w") + "/versions/1")
                .then()
                .statusCode(200)
                .body("sha256", equalTo(sha1));
    }
}
