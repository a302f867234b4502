package io.tenantml.scheduling;

import static io.tenantml.testing.Fixtures.base;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.RunHolds;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The run ledger end to end: fair slots across tenants (issue 10, acceptance 4), safe error messages, and the
 * recovery of runs whose node died. Runs are made "long" by {@link RunHolds}, which keeps a started run RUNNING
 * until the test releases it, so nothing here depends on how fast the machine trains.
 */
@QuarkusTest
class RunLedgerResourceTest {

    private static final Duration WAIT = Fixtures.JOB_TIMEOUT;

    @Inject
    RunHolds holds;

    @Inject
    AgroalDataSource dataSource;

    /**
     * The test node has 1 training slot (the default, {@code tenantml.runs.node-slots.training}). Tenant A queues
     * four trainings, then tenant B one training and one batch prediction. First come first served would run A's
     * four before B's training; the ledger's fair order starts B's training as soon as A's first ends, and B's
     * batch, another kind with slots of its own, runs at once.
     */
    @Test
    void shouldStartAnotherTenantsRunsBeforeTheQueueOfABusyTenant() {
        String a = Api.uniqueTenant("fair-a");
        String adminA = Api.createTenant(a);
        String b = Api.uniqueTenant("fair-b");
        String adminB = Api.createTenant(b);
        penguins(a, adminA);
        penguins(b, adminB);
        for (int i = 1; i <= 4; i++) {
            Fixtures.putModel(a, adminA, "a" + i, spec()).then().statusCode(201);
        }
        Fixtures.putModel(b, adminB, "b", spec()).then().statusCode(201);
        Fixtures.train(b, adminB, "b"); // B needs a version for its batch prediction
        holds.hold(a);
        holds.hold(b);
        try {
            List<String> trainingsOfA = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                trainingsOfA.add(Fixtures.startTraining(a, adminA, "a" + i));
            }
            awaitStatus(adminA, Fixtures.trainingPath(a, trainingsOfA.get(0)), "running");
            assertQueued(a, adminA, trainingsOfA.subList(1, 4));

            String trainingOfB = Fixtures.startTraining(b, adminB, "b");
            Response submitted = Api.as(adminB)
                    .contentType(ContentType.JSON)
                    .body(Map.of("dataset", "penguins"))
                    .post(base(b) + "/models/b/batch-predictions");
            submitted.then().statusCode(202);
            String batchOfB = base(b) + "/models/b/batch-predictions/" + submitted.<String>path("id");

            // B's batch runs while A's first training holds the one training slot and A's others wait
            awaitStatus(adminB, batchOfB, "running");
            assertThat(status(adminA, Fixtures.trainingPath(a, trainingsOfA.get(0))))
                    .isEqualTo("running");
            assertQueued(a, adminA, trainingsOfA.subList(1, 4));
            assertThat(status(adminB, Fixtures.trainingPath(b, trainingOfB))).isEqualTo("queued");
            holds.release(submitted.path("id"));

            // A's first ends: B's training, queued after A's second, third and fourth, starts next
            holds.release(trainingsOfA.get(0));
            awaitStatus(adminB, Fixtures.trainingPath(b, trainingOfB), "running");
            assertQueued(a, adminA, trainingsOfA.subList(1, 4));

            holds.release(trainingOfB);
            String secondOfA = Fixtures.trainingPath(a, trainingsOfA.get(1));
            awaitStatus(adminA, secondOfA, "running");
            Instant bStarted = Instant.parse(
                    Api.as(adminB).get(Fixtures.trainingPath(b, trainingOfB)).path("startedAt"));
            Instant aSecondStarted = Instant.parse(Api.as(adminA).get(secondOfA).path("startedAt"));
            assertThat(bStarted).isBefore(aSecondStarted);
        } finally {
            holds.releaseAll(a);
            holds.releaseAll(b);
        }
    }

    @Test
    void shouldRecordACodeAndAnIncidentButNoExceptionTextWhenARunFailsUnexpectedly() {
        String tenant = Api.uniqueTenant("run-error");
        String admin = Api.createTenant(tenant);
        penguins(tenant, admin);
        Fixtures.putModel(tenant, admin, "species", spec()).then().statusCode(201);
        String driverText = "ERROR: value too long for type character varying(200) [insert into training ...]";
        holds.fail(tenant, () -> new IllegalStateException(driverText));
        try {
            Response end = Fixtures.awaitEnd(
                    admin, Fixtures.trainingPath(tenant, Fixtures.startTraining(tenant, admin, "species")));
            assertThat(end.<String>path("status")).isEqualTo("failed");
            assertThat(end.<String>path("errorCode")).isEqualTo("internal-error");
            String message = end.path("error");
            assertThat(message).containsPattern("incident [0-9a-f]{16}");
            assertThat(message).doesNotContain("character varying", "insert", "IllegalStateException");
        } finally {
            holds.stopFailing(tenant);
        }
    }

    @Test
    void shouldRedoARunWhoseNodeDiedOnceAndFailItTheSecondTime() throws Exception {
        String tenant = Api.uniqueTenant("run-dead");
        Api.createTenant(tenant);
        UUID firstTime = deadRun(tenant, 1);
        UUID secondTime = deadRun(tenant, 2);
        // queued again, or already claimed again (attempt 2) if a handler of the kind exists by now
        await("runs of a dead node swept")
                .atMost(WAIT)
                .until(() -> (state(firstTime)[0].equals("QUEUED") || state(firstTime)[2].equals("2"))
                        && state(secondTime)[0].equals("FAILED"));
        assertThat(state(secondTime)[1]).isEqualTo("interrupted");
        assertThat(state(secondTime)[2]).isEqualTo("2");
    }

    @Test
    void shouldDescribeRunStatesAsEnumsInOpenApi() {
        Response openapi = io.restassured.RestAssured.get("/q/openapi?format=json");
        assertThat(openapi.<List<String>>path("components.schemas.RunState.enum"))
                .containsExactly("queued", "running", "succeeded", "failed", "cancelled", "skipped");
        assertThat(openapi.<List<String>>path("components.schemas.TrainingStatus.enum"))
                .contains("queued", "running", "succeeded", "rejected", "failed");
        assertThat(openapi.<String>path("components.schemas.TrainingView.properties.status.$ref"))
                .endsWith("/TrainingStatus");
        assertThat(openapi.<String>path("components.schemas.BatchPredictionView.properties.status.$ref"))
                .endsWith("/RunState");
    }

    /** A RUNNING run of a node that stopped an hour ago, after {@code attempts} starts. */
    private UUID deadRun(String tenant, int attempts) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into run (id, tenant_id, kind, subject, state, "
                        + "attempts, node, heartbeat_at, created_at, started_at) values (?, ?, 'INDEX_BUILD', 'x', "
                        + "'RUNNING', ?, 'dead-node', now() - interval '1 hour', now(), now() - interval '1 hour')")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            ps.setInt(3, attempts);
            ps.executeUpdate();
        }
        return id;
    }

    private String[] state(UUID id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select state, error_code, attempts from run where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
            }
        }
    }

    private static void penguins(String tenant, String admin) {
        Fixtures.uploadVersion(
                tenant, admin, "penguins", ContentType.JSON.toString(), Fixtures.resource("penguins.json"));
    }

    private static Map<String, Object> spec() {
        return Fixtures.PENGUINS_SPECIES;
    }

    private static void assertQueued(String tenant, String admin, List<String> trainings) {
        for (String id : trainings) {
            assertThat(status(admin, Fixtures.trainingPath(tenant, id)))
                    .as("training %s", id)
                    .isEqualTo("queued");
        }
    }

    private static String status(String key, String path) {
        Response r = Api.as(key).get(path);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.path("status");
    }

    private static void awaitStatus(String key, String path, String expected) {
        await(path + " " + expected).atMost(WAIT).until(() -> expected.equals(status(key, path)));
    }
}
