package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StartupSweeps;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.LockWaits;
import io.tenantml.testing.RunHolds;
import io.tenantml.training.TrainingService;
import io.tenantml.training.TrainingTrigger;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A version's rows can be purged, by an admin or by the dataset's retention, to free storage without deleting the
 * dataset: its files go, its record stays, its rows answer 410. The latest version and a version something still
 * needs keep their rows.
 */
@QuarkusTest
class DatasetVersionPurgeResourceTest {

    private static final String A = "id,colour\n1,red\n2,green\n3,blue\n";
    private static final String B = "id,colour\n1,red\n2,green\n3,yellow\n";
    private static final String C = "id,colour\n1,red\n2,green\n3,purple\n4,black\n";
    private static final String D = "id,colour\n1,white\n";

    @Inject
    BlobStore blobs;

    @Inject
    RunHolds holds;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    StartupSweeps sweeps;

    @Inject
    DatasetService datasets;

    @Inject
    io.tenantml.tenancy.TenantScope tenantScope;

    @Inject
    TrainingService trainings;

    @Test
    void shouldFreeAVersionsFilesAndKeepItsRecordWhenAnAdminPurgesItsRows() throws Exception {
        Tenant t = newTenant("purge");
        String sha1 = upload(t, A).path("sha256");
        upload(t, B).then().statusCode(201);
        upload(t, C).then().statusCode(201);
        Response before = Api.as(t.admin()).get(version(t, 1));
        long storedBefore = blobs.usedBytes(t.tenant());
        assertThat(rowsFiles(t)).contains(sha1);

        Response purged = Api.as(t.admin()).delete(version(t, 1) + "/rows");

        assertThat(purged.statusCode()).as(purged.asString()).isEqualTo(204);
        Response after = Api.as(t.admin()).get(version(t, 1));
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.<String>path("purged.reason")).isEqualTo("requested");
        assertThat(after.<String>path("purged.by")).startsWith("admin:");
        assertThat(after.<String>path("purged.at")).isNotNull();
        for (String kept : List.of("sha256", "rows", "createdAt", "sourceSha256", "schema", "profile", "validation")) {
            assertThat(after.<Object>path(kept)).as(kept).isEqualTo(before.path(kept));
        }
        Response rows = Api.as(t.admin()).accept("text/csv").get(version(t, 1) + "/rows");
        assertThat(rows.statusCode()).as(rows.asString()).isEqualTo(410);
        assertThat(rows.contentType()).startsWith("application/problem+json");
        assertThat(rows.<String>path("type")).endsWith("dataset-version-purged");
        assertThat(rows.<Integer>path("version")).isEqualTo(1);
        Api.as(t.admin()).get(version(t, 1) + "/quarantine").then().statusCode(410);
        assertThat(rowsFiles(t)).doesNotContain(sha1).hasSize(2);
        assertThat(blobs.usedBytes(t.tenant())).isLessThan(storedBefore);
        assertThat(Api.as(t.admin())
                        .accept("text/csv")
                        .get(version(t, 2) + "/rows")
                        .asString())
                .isEqualTo(B);
        Response list = Api.as(t.admin()).get(Fixtures.datasetPath(t.id(), "p") + "/versions");
        assertThat(list.<String>path("items[0].purged.reason")).isEqualTo("requested");
        assertThat(list.<Object>path("items[1].purged")).isNull();
        Response audit = Api.as(t.admin())
                .queryParam("action", "dataset.version.rows.purged")
                .get("/api/v1/tenants/" + t.id() + "/audit");
        assertThat(audit.<List<Object>>path("items")).hasSize(1);
        assertThat(audit.<String>path("items[0].target")).isEqualTo("dataset=p, version=1");
        assertThat(audit.<String>path("items[0].actor.role")).isEqualTo("admin");

        // again: nothing changes
        Api.as(t.admin()).delete(version(t, 1) + "/rows").then().statusCode(204);
        assertThat(Api.as(t.admin()).get(version(t, 1)).<String>path("purged.at"))
                .isEqualTo(after.path("purged.at"));
    }

    @Test
    void shouldRefuseToPurgeTheLatestVersionAndLetIntegrationsPurgeNothing() throws Exception {
        Tenant t = newTenant("purgelatest");
        upload(t, A).then().statusCode(201);
        upload(t, B).then().statusCode(201);
        String integration = Api.createKey(t.id(), t.admin(), "integration");

        Response latest = Api.as(t.admin()).delete(version(t, 2) + "/rows");
        Response byIntegration = Api.as(integration).delete(version(t, 1) + "/rows");

        assertThat(latest.statusCode()).as(latest.asString()).isEqualTo(409);
        assertThat(latest.<String>path("type")).endsWith("latest-version");
        assertThat(byIntegration.statusCode()).isEqualTo(403);
        Api.as(t.admin()).delete(version(t, 7) + "/rows").then().statusCode(404);
        Api.as(t.admin()).get(version(t, 1)).then().body("purged", org.hamcrest.Matchers.nullValue());
        assertThat(Api.as(t.admin())
                        .accept("text/csv")
                        .get(version(t, 1) + "/rows")
                        .asString())
                .isEqualTo(A);
        assertThat(rowsFiles(t)).hasSize(2);
    }

    @Test
    void shouldKeepAFileThatAnotherVersionWithRowsStillNames() throws Exception {
        Tenant t = newTenant("purgeshared");
        upload(t, A).then().statusCode(201);
        upload(t, B).then().statusCode(201);
        upload(t, A).then().statusCode(201); // version 3 holds version 1's rows: the same content-addressed file

        Api.as(t.admin()).delete(version(t, 1) + "/rows").then().statusCode(204);

        assertThat(Api.as(t.admin())
                        .accept("text/csv")
                        .get(version(t, 3) + "/rows")
                        .asString())
                .isEqualTo(A);
        assertThat(rowsFiles(t)).hasSize(2);
    }

    @Test
    void shouldKeepTheRowsThatARunningTrainingOrAServingModelVersionNeeds() throws Exception {
        Tenant t = newTenant("purgeinuse");
        byte[] penguins = Fixtures.resource("penguins.json");
        Fixtures.upload(t.id(), t.admin(), "penguins", "application/json", penguins)
                .then()
                .statusCode(201);
        Fixtures.defineModel(t.id(), t.admin(), "species", Fixtures.PENGUINS_SPECIES, true);
        int modelVersion = Fixtures.train(t.id(), t.admin(), "species");
        // later versions stay unaliased, so that only the first holds its rows by serving
        Fixtures.defineModel(t.id(), t.admin(), "species", Fixtures.PENGUINS_SPECIES, false);
        Fixtures.upload(t.id(), t.admin(), "penguins", "application/json", Fixtures.withoutTheFirstRecord(penguins))
                .then()
                .statusCode(201);
        Fixtures.upload(
                        t.id(),
                        t.admin(),
                        "penguins",
                        "application/json",
                        Fixtures.withTheFirstTwoRecordsSwapped(penguins))
                .then()
                .statusCode(201);
        String penguinsPath = Fixtures.datasetPath(t.id(), "penguins");

        // version 1 trained the production version
        Response served = Api.as(t.admin()).delete(penguinsPath + "/versions/1/rows");
        assertThat(served.statusCode()).as(served.asString()).isEqualTo(409);
        assertThat(served.<String>path("type")).endsWith("dataset-version-in-use");
        assertThat(served.<List<String>>path("usedBy"))
                .containsExactly("model 'species' version " + modelVersion + " (alias production) was trained on it");

        // version 2 is being read by a training
        holds.hold(t.id());
        String training;
        try {
            training = Api.as(t.admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("datasetVersion", 2))
                    .post(Fixtures.base(t.id()) + "/models/species/trainings")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            Response running = Api.as(t.admin()).delete(penguinsPath + "/versions/2/rows");
            assertThat(running.statusCode()).as(running.asString()).isEqualTo(409);
            assertThat(running.<List<String>>path("usedBy")).hasSize(1);
            assertThat(running.<List<String>>path("usedBy").get(0))
                    .isIn("training " + training + " (queued)", "training " + training + " (running)");
        } finally {
            holds.releaseAll(t.id());
        }
        Fixtures.awaitEnd(t.admin(), Fixtures.trainingPath(t.id(), training));
        Api.as(t.admin()).delete(penguinsPath + "/versions/2/rows").then().statusCode(204);

        // without the alias, version 1's rows are free to go
        Api.as(t.admin())
                .delete(Fixtures.base(t.id()) + "/models/species/aliases/production")
                .then()
                .statusCode(204);
        Api.as(t.admin()).delete(penguinsPath + "/versions/1/rows").then().statusCode(204);

        // and a training asked for on a purged version is refused at once, naming it
        Response onPurged = Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("datasetVersion", 1))
                .post(Fixtures.base(t.id()) + "/models/species/trainings");
        assertThat(onPurged.statusCode()).as(onPurged.asString()).isEqualTo(410);
        assertThat(onPurged.<String>path("type")).endsWith("dataset-version-purged");
    }

    /**
     * A purge that comes while a training is being queued on the version (its start's transaction not yet
     * committed) waits for that start and then refuses, naming the training: before, it saw no training, purged,
     * and the training then failed in its run on rows that were gone. Batch predictions and index builds take the
     * same hold ({@code DatasetReader.holdAgainstPurge}) as they start (BatchPredictionResourceTest,
     * RecommenderResourceTest).
     */
    @Test
    void shouldWaitForATrainingBeingQueuedOnTheVersionAndThenRefuseToPurgeItsRows() throws Exception {
        Tenant t = newTenant("purgerace");
        byte[] penguins = Fixtures.resource("penguins.json");
        Fixtures.upload(t.id(), t.admin(), "penguins", "application/json", penguins)
                .then()
                .statusCode(201);
        Fixtures.upload(t.id(), t.admin(), "penguins", "application/json", Fixtures.withoutTheFirstRecord(penguins))
                .then()
                .statusCode(201);
        Fixtures.defineModel(t.id(), t.admin(), "species", Fixtures.PENGUINS_SPECIES, false);

        CountDownLatch queued = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<String> start = threads.submit(() -> tenantScope.call(
                    t.tenant(),
                    () -> QuarkusTransaction.requiringNew().call(() -> {
                        String id = trainings
                                .start("species", 1, TrainingTrigger.SCHEDULE)
                                .id()
                                .toString();
                        queued.countDown();
                        assertThat(commit.await(60, TimeUnit.SECONDS)).isTrue();
                        return id;
                    })));
            assertThat(queued.await(60, TimeUnit.SECONDS)).isTrue();
            String rows = Fixtures.datasetPath(t.id(), "penguins") + "/versions/1/rows";
            Future<Response> purge = threads.submit(() -> Api.as(t.admin()).delete(rows));
            await("the purge answered or waiting for a lock")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        try (Connection c = dataSource.getConnection()) {
                            return purge.isDone() || LockWaits.sessionsWaiting(c) > 0;
                        }
                    });
            commit.countDown();
            String training = start.get(60, TimeUnit.SECONDS);

            Response refused = purge.get(60, TimeUnit.SECONDS);
            assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(409);
            assertThat(refused.<String>path("type")).endsWith("dataset-version-in-use");
            assertThat(refused.<List<String>>path("usedBy").get(0)).startsWith("training " + training + " (");
            Response trained = Fixtures.awaitEnd(t.admin(), Fixtures.trainingPath(t.id(), training));
            assertThat(trained.<String>path("status")).as(trained.asString()).isEqualTo("succeeded");
        } finally {
            commit.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void shouldLeaveTheFilesOfAPurgeWhoseNodeDiedBeforeDeletingThemToTheSweepAfterStart() throws Exception {
        Tenant t = newTenant("purgecrash");
        String sha1 = upload(t, A).path("sha256");
        String sha2 = upload(t, B).path("sha256");
        // the purge's first transaction committed, its node died before the second deleted the file
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update dataset_version set purged_at = now(),"
                        + " purged_by = 'admin:k', purge_reason = 'requested' where tenant_id = ? and version = 1")) {
            ps.setString(1, t.id());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(rowsFiles(t)).contains(sha1);

        CompletableFuture<StartupSweeps.Result> sweep = sweeps.start();
        await().atMost(Duration.ofSeconds(60)).until(sweep::isDone);

        assertThat(rowsFiles(t)).containsExactly(sha2);
    }

    @Test
    void shouldPurgeTheRowsOfVersionsBeyondTheRetentionAsTheSystemAndAuditTheUploadsToo() throws Exception {
        Tenant t = newTenant("retention");
        Response declared = Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("retention", Map.of("keepVersions", 2)))
                .put(Fixtures.datasetPath(t.id(), "p"));
        assertThat(declared.statusCode()).as(declared.asString()).isEqualTo(201);
        assertThat(declared.<Integer>path("retention.keepVersions")).isEqualTo(2);
        String sha1 = upload(t, A).path("sha256");
        String sha2 = upload(t, B).path("sha256");
        upload(t, C).then().statusCode(201);
        upload(t, D).then().statusCode(201);

        for (int v = 1; v <= 2; v++) {
            Response purged = Api.as(t.admin()).get(version(t, v));
            assertThat(purged.<String>path("purged.reason")).as("version %d", v).isEqualTo("retention");
            assertThat(purged.<String>path("purged.by")).isEqualTo("system:dataset-retention");
        }
        for (int v = 3; v <= 4; v++) {
            Api.as(t.admin()).get(version(t, v)).then().body("purged", org.hamcrest.Matchers.nullValue());
        }
        assertThat(rowsFiles(t)).doesNotContain(sha1, sha2).hasSize(2);
        Response audit = Api.as(t.admin()).get("/api/v1/tenants/" + t.id() + "/audit");
        List<Map<String, Object>> entries = audit.path("items");
        assertThat(entries.stream()
                        .filter(e -> e.get("action").equals("dataset.version.rows.purged"))
                        .map(e -> (String) ((Map<?, ?>) e.get("actor")).get("subject")))
                .containsExactly("dataset-retention", "dataset-retention");
        assertThat(entries.stream().filter(e -> ((String) e.get("action")).startsWith("POST ")))
                .as("every upload's own entry")
                .hasSize(4);

        // a tighter retention applies at once; {} keeps every version's rows from then on
        Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("retention", Map.of("keepVersions", 1)))
                .put(Fixtures.datasetPath(t.id(), "p"))
                .then()
                .statusCode(200);
        assertThat(Api.as(t.admin()).get(version(t, 3)).<String>path("purged.reason"))
                .isEqualTo("retention");
        Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("retention", Map.of()))
                .put(Fixtures.datasetPath(t.id(), "p"))
                .then()
                .statusCode(200)
                .body("retention.keepVersions", org.hamcrest.Matchers.nullValue());
        upload(t, A).then().statusCode(201);
        Api.as(t.admin()).get(version(t, 4)).then().body("purged", org.hamcrest.Matchers.nullValue());
    }

    /**
     * A rule appends its labelled records inside its claim's transaction, which holds the dataset's locks until it
     * ends: the retention a new version applies waits for that commit instead of waiting on those locks.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void shouldApplyTheRetentionOfAVersionAppendedInsideATransactionOnceItCommits() {
        Tenant t = newTenant("retentionappend");
        Api.as(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("retention", Map.of("keepVersions", 1)))
                .put(Fixtures.datasetPath(t.id(), "p"))
                .then()
                .statusCode(201);
        upload(t, A).then().statusCode(201);

        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .run(() -> tenantScope.run(t.tenant(), () -> {
                    try {
                        datasets.append(
                                "p",
                                List.of(Map.of("id", 4, "colour", "grey")),
                                new VersionProvenance(VersionSource.PREDICTION_FEEDBACK, "m", null, 1, null, null),
                                ref -> {});
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));

        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        "retention".equals(Api.as(t.admin()).get(version(t, 1)).path("purged.reason")));
        assertThat(Api.as(t.admin())
                        .accept("text/csv")
                        .get(version(t, 2) + "/rows")
                        .asString())
                .isEqualTo(A + "4,grey\n");
    }

    @Test
    void shouldRefuseARetentionOutOfRangeNamingIt() {
        Tenant t = newTenant("retentionbad");
        for (Object keep : List.of(0, -1, 10_001)) {
            Response r = Api.as(t.admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("retention", Map.of("keepVersions", keep)))
                    .put(Fixtures.datasetPath(t.id(), "p"));
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
            assertThat(r.<String>path("field")).as(r.asString()).isEqualTo("retention.keepVersions");
        }
        Api.as(t.admin()).get(Fixtures.datasetPath(t.id(), "p")).then().statusCode(404);
    }

    @Test
    void shouldLetAnotherTenantPurgeNothing() throws Exception {
        Tenant owner = newTenant("purgeowner");
        Tenant other = newTenant("purgeother");
        upload(owner, A).then().statusCode(201);
        upload(owner, B).then().statusCode(201);
        String integration = Api.createKey(other.id(), other.admin(), "integration");

        for (String key : List.of(other.admin(), integration)) {
            assertThat(Api.as(key).delete(version(owner, 1) + "/rows").statusCode())
                    .isIn(403, 404);
        }
        upload(other, B).then().statusCode(201);
        upload(other, C).then().statusCode(201);
        Api.as(other.admin()).delete(version(other, 1) + "/rows").then().statusCode(204);

        assertThat(Api.as(owner.admin())
                        .accept("text/csv")
                        .get(version(owner, 1) + "/rows")
                        .asString())
                .isEqualTo(A);
        Api.as(owner.admin()).get(version(owner, 1)).then().body("purged", org.hamcrest.Matchers.nullValue());
        assertThat(rowsFiles(owner)).hasSize(2);
    }

    private record Tenant(String id, String admin) {
        TenantId tenant() {
            return new TenantId(id);
        }
    }

    private static Tenant newTenant(String stem) {
        String tenant = Api.uniqueTenant(stem);
        return new Tenant(tenant, Api.createTenant(tenant));
    }

    private static Response upload(Tenant t, String csv) {
        return Fixtures.upload(t.id(), t.admin(), "p", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
    }

    private static String version(Tenant t, int version) {
        return Fixtures.datasetPath(t.id(), "p") + "/versions/" + version;
    }

    /** The SHA-256s of the rows files the tenant's dataset "p" stores. */
    private List<String> rowsFiles(Tenant t) throws Exception {
        return blobs.list(t.tenant(), "datasets/p/rows/").stream()
                .map(BlobKey::path)
                .map(p -> p.substring(p.lastIndexOf('/') + 1, p.indexOf(".bin.gz")))
                .toList();
    }
}
