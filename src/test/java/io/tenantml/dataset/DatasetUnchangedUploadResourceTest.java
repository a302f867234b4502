package io.tenantml.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.dataset.rest.DatasetResource;
import io.tenantml.shared.TenantId;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import io.tenantml.testing.Concurrently;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.TestDatabase;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * An upload whose validated content is the dataset's latest version's makes no version: a new version is what
 * makes a model's schedule retrain and a recommender's rebuild, so a client re-sending the same export must not
 * start them. Only the latest version counts, and only identical content.
 */
@QuarkusTest
class DatasetUnchangedUploadResourceTest {

    private static final String ROWS = "id,colour\n1,red\n2,green\n3,blue\n";
    private static final String ONE_ROW_CHANGED = "id,colour\n1,red\n2,green\n3,yellow\n";

    @Inject
    BlobStore blobs;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DatasetService datasets;

    @Inject
    TenantScope tenantScope;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void shouldAnswer200WithTheLatestVersionAndStoreNothingWhenAnUploadRepeatsIt() throws Exception {
        Tenant t = newTenant();
        String tenant = t.id();
        String admin = t.admin();
        Response first = upload(t, ROWS);
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(201);
        List<BlobKey> files = blobs.list(new TenantId(tenant), "datasets/p/");
        long storedBytes = blobs.usedBytes(new TenantId(tenant));
        int events = outboxEvents(tenant);

        Response again = upload(t, ROWS);

        assertThat(again.statusCode()).as(again.asString()).isEqualTo(200);
        assertThat(again.header(DatasetResource.UNCHANGED)).isEqualTo("true");
        assertThat(again.header("Location")).as("nothing was created").isNull();
        assertThat(again.header("Content-Location")).endsWith("/datasets/p/versions/1");
        assertThat(again.header("Idempotent-Replayed")).isNull();
        assertThat(again.<Integer>path("version")).isEqualTo(1);
        assertThat(again.<String>path("sha256")).isEqualTo(first.path("sha256"));
        assertThat(again.<String>path("createdAt")).isEqualTo(first.path("createdAt"));
        assertThat(versionCount(t)).isEqualTo(1);
        assertThat(blobs.list(new TenantId(tenant), "datasets/p/")).isEqualTo(files);
        assertThat(blobs.usedBytes(new TenantId(tenant))).isEqualTo(storedBytes);
        assertThat(outboxEvents(tenant)).isEqualTo(events);
        // the request is on the trail as what it was: a 200 that names no created version
        Map<String, String> audited = Api.as(admin)
                .queryParam("limit", 1)
                .get("/api/v1/tenants/" + tenant + "/audit")
                .path("items[0].summary");
        assertThat(audited).containsEntry("status", "200").doesNotContainKey("location");
        // the body was received and validated, so both uploads are metered (see DatasetService.commit)
        await("ingest metered for both uploads")
                .atMost(Duration.ofSeconds(30))
                .until(() -> meteredIngestRows(tenant) == 6);
    }

    @Test
    void shouldMakeANewVersionWhenOneRowChanged() {
        Tenant t = withVersion1();

        Response changed = upload(t, ONE_ROW_CHANGED);

        assertThat(changed.statusCode()).as(changed.asString()).isEqualTo(201);
        assertThat(changed.header(DatasetResource.UNCHANGED)).isNull();
        assertThat(changed.<Integer>path("version")).isEqualTo(2);
        assertThat(versionCount(t)).isEqualTo(2);
    }

    @Test
    void shouldMakeANewVersionWhenAnOlderVersionsRowsComeBackAfterAnotherVersion() {
        Tenant t = withVersion1();
        String v1 = Api.as(t.admin())
                .get(Fixtures.datasetPath(t.id(), "p") + "/versions/1")
                .path("sha256");
        upload(t, ONE_ROW_CHANGED).then().statusCode(201);

        Response back = upload(t, ROWS);

        assertThat(back.statusCode()).as(back.asString()).isEqualTo(201);
        assertThat(back.<Integer>path("version")).isEqualTo(3);
        assertThat(back.<String>path("sha256")).isEqualTo(v1);
        assertThat(versionCount(t)).isEqualTo(3);
    }

    @Test
    void shouldMakeANewVersionWhenTheSameRowsComeWithAFindingTheLatestVersionDidNotHave() {
        Tenant t = withVersion1();

        // the same stored rows, but a column the schema drops: the answer must carry that warning
        Response extraColumn = upload(t, "id,colour,note\n1,red,x\n2,green,y\n3,blue,z\n");

        assertThat(extraColumn.statusCode()).as(extraColumn.asString()).isEqualTo(201);
        assertThat(extraColumn.<List<String>>path("validation.anomalies.check")).contains("unexpected-column");
    }

    /**
     * Two uploads of the same new rows at once, both validated against version 1: the test holds the dataset's
     * name lock, which each takes in the transaction that commits its version, until both wait for it. The one
     * let through first makes version 2; the other then finds version 2 holds its rows.
     */
    @Test
    void shouldMakeExactlyOneVersionWhenIdenticalUploadsArriveAtOnce() throws Exception {
        Tenant t = withVersion1();

        List<Response> answers;
        try (Connection lock = TestDatabase.ownerConnection(jdbcUrl)) {
            lock.setAutoCommit(false);
            TestDatabase.holdNameLock(lock, "dataset", t.id(), "p");
            List<CompletableFuture<Response>> uploads = List.of(
                    Concurrently.inBackground(() -> upload(t, ONE_ROW_CHANGED)),
                    Concurrently.inBackground(() -> upload(t, ONE_ROW_CHANGED)));
            await("both uploads waiting for the dataset's lock")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .failFast(
                            "an upload was answered while the test held the lock",
                            () -> uploads.stream().anyMatch(CompletableFuture::isDone))
                    .until(() -> TestDatabase.advisoryLockWaiters(lock) == 2);
            lock.commit();
            answers = List.of(
                    uploads.get(0).get(60, TimeUnit.SECONDS), uploads.get(1).get(60, TimeUnit.SECONDS));
        }

        assertThat(answers.stream().map(Response::statusCode).toList())
                .as(answers.stream().map(Response::asString).toList().toString())
                .containsExactlyInAnyOrder(201, 200);
        assertThat(answers.stream().map(r -> r.<Integer>path("version")).toList())
                .containsExactly(2, 2);
        assertThat(answers.stream()
                        .map(r -> r.header(DatasetResource.UNCHANGED))
                        .toList())
                .containsExactlyInAnyOrder("true", null);
        assertThat(versionCount(t)).isEqualTo(2);
    }

    @Test
    void shouldReplayAnUnchangedAnswerWhenItsIdempotencyKeyRepeats() {
        Tenant t = withVersion1();

        Response unchanged = uploadWithKey(t, ROWS, "nightly-export");
        Response repeated = uploadWithKey(t, ROWS, "nightly-export");

        assertThat(unchanged.statusCode()).as(unchanged.asString()).isEqualTo(200);
        assertThat(unchanged.header(DatasetResource.UNCHANGED)).isEqualTo("true");
        assertThat(repeated.statusCode()).as(repeated.asString()).isEqualTo(200);
        assertThat(repeated.header(DatasetResource.UNCHANGED)).isEqualTo("true");
        assertThat(repeated.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(repeated.header("Location")).isNull();
        assertThat(repeated.<Integer>path("version")).isEqualTo(1);
        assertThat(repeated.<String>path("createdAt")).isEqualTo(unchanged.path("createdAt"));
        assertThat(versionCount(t)).isEqualTo(1);
    }

    /**
     * An append always adds rows, so it is never compared with the latest version; an append of no records would
     * be a version identical to the latest one, which is what an unchanged upload avoids, so it is refused.
     */
    @Test
    void shouldRefuseAnAppendOfNoRecords() {
        Tenant t = withVersion1();

        assertThatThrownBy(() -> tenantScope.callChecked(
                        new TenantId(t.id()),
                        () -> datasets.append(
                                "p",
                                List.of(),
                                new VersionProvenance(
                                        VersionSource.PREDICTION_FEEDBACK, "m", null, 0, List.of(), Map.of()),
                                ref -> {})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(versionCount(t)).isEqualTo(1);
    }

    /** A model retrained every second when its dataset has a new version: an identical upload is no new data. */
    @Test
    void shouldNotRetrainOnScheduleAfterAnIdenticalUpload() {
        String tenant = Api.uniqueTenant("unchanged");
        String admin = Api.createTenant(tenant);
        Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
        Map<String, Object> spec = Fixtures.PENGUINS_SPECIES;
        Fixtures.defineModel(tenant, admin, "species", spec, true);
        Fixtures.train(tenant, admin, "species");
        java.util.HashMap<String, Object> scheduled = new java.util.HashMap<>(spec);
        scheduled.put("schedule", "0/1 * * * * ?");
        Fixtures.putModel(tenant, admin, "species", scheduled).then().statusCode(200);
        String trainings = Fixtures.base(tenant) + "/trainings?model=species&limit=1000";

        Response again =
                Fixtures.upload(tenant, admin, "penguins", "application/json", Fixtures.resource("penguins.json"));
        Instant uploaded = Instant.now();

        // a fire after the upload judged that there is no new data (a training it started would have ended first)
        await("a scheduled fire after the upload finding no new data")
                .atMost(Fixtures.JOB_TIMEOUT)
                .until(() -> Api.as(admin).get(trainings).<List<Map<String, Object>>>path("items").stream()
                        .anyMatch(t -> "no-new-data".equals(t.get("errorCode"))
                                && Instant.parse((String) t.get("createdAt")).isAfter(uploaded)));
        List<String> notSkipped = Api.as(admin).get(trainings).path("items.findAll { it.status != 'skipped' }.status");
        scheduled.remove("schedule");
        Fixtures.putModel(tenant, admin, "species", scheduled).then().statusCode(200);
        assertThat(notSkipped).as("only the first training").containsExactly("succeeded");
        assertThat(again.statusCode()).as(again.asString()).isEqualTo(200);
    }

    private record Tenant(String id, String admin) {}

    private static Tenant newTenant() {
        String tenant = Api.uniqueTenant("unchanged");
        return new Tenant(tenant, Api.createTenant(tenant));
    }

    /** A new tenant whose dataset "p" has one version, of {@link #ROWS}. */
    private static Tenant withVersion1() {
        Tenant t = newTenant();
        upload(t, ROWS).then().statusCode(201);
        return t;
    }

    private static Response upload(Tenant t, String csv) {
        return Fixtures.upload(t.id(), t.admin(), "p", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
    }

    private static Response uploadWithKey(Tenant t, String csv, String key) {
        return Api.as(t.admin())
                .contentType("text/csv")
                .header("Idempotency-Key", key)
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .post(Fixtures.datasetPath(t.id(), "p") + "/versions");
    }

    private static int versionCount(Tenant t) {
        return Api.as(t.admin())
                .get(Fixtures.datasetPath(t.id(), "p"))
                .then()
                .statusCode(200)
                .extract()
                .path("versionCount");
    }

    private int outboxEvents(String tenant) throws SQLException {
        return (int) single("select count(*) from tenant_event where tenant_id = ?", tenant);
    }

    private long meteredIngestRows(String tenant) throws SQLException {
        return single(
                "select coalesce(sum(quantity), 0) from usage_event where tenant_id = ? and meter = 'ingest.rows'",
                tenant);
    }

    private long single(String sql, String tenant) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
