package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tenantml.feature.ValueKind;
import io.tenantml.monitoring.internal.LogPartitions;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.TimeOrderedIds;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PredictionLogResourceTest {

    @Inject
    PredictionLog log;

    @Inject
    PredictionLogReader reader;

    @Inject
    LogPartitions partitions;

    @Inject
    TenantScope scope;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MonitoringMetrics metrics;

    private static final ValueKind[] ALL_KINDS = {
        ValueKind.PRESENT, ValueKind.MISSING, ValueKind.UNSEEN_CATEGORY, ValueKind.OUT_OF_RANGE, ValueKind.REFUSED
    };

    private static LoggedPrediction prediction(String tenant, String model, UUID id, Instant at, float score) {
        return new LoggedPrediction(
                id,
                new TenantId(tenant),
                model,
                3,
                at,
                ALL_KINDS,
                new float[] {1, Float.NaN, Float.NaN, 1e30f, 0},
                new float[] {score});
    }

    private List<LogRecord> read(String tenant, String model, int version) {
        List<LogRecord> records = new ArrayList<>();
        scope.run(
                new TenantId(tenant),
                () -> reader.read(
                        model,
                        version,
                        Instant.now().minus(30, ChronoUnit.DAYS),
                        Instant.now().plusSeconds(60),
                        records::add));
        return records;
    }

    @Test
    void shouldReadBackKindsFeaturesAndOutputsExactlyWhateverCharactersTheModelNameHolds() throws Exception {
        String tenant = Api.uniqueTenant("plog");
        Api.createTenant(tenant);
        // COPY's text format must not be confused by a model name holding any of these.
        String model = "m\t\\n\nü €";
        float[] features = {47.5f, Float.NaN, -1e-3f, 3f, Float.NaN, 1e30f, Float.MIN_VALUE};
        float[] outputs = {0.125f, 0.5f, 0.375f};
        UUID id = TimeOrderedIds.next();
        Instant at = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS); // an older partition
        assertThat(log.record(
                        new LoggedPrediction(id, new TenantId(tenant), model, 3, at, ALL_KINDS, features, outputs)))
                .isTrue();
        assertThat(log.flush(Duration.ofSeconds(10))).isTrue();

        List<LogRecord> records = read(tenant, model, 3);
        assertThat(records).hasSize(1);
        LogRecord record = records.get(0);
        assertThat(record.id()).isEqualTo(id);
        assertThat(record.predictedAt()).isEqualTo(at);
        assertThat(record.kinds()).containsExactly(ALL_KINDS);
        assertThat(record.features()).containsExactly(features);
        assertThat(record.outputs()).containsExactly(outputs);
        assertThat(record.sampleRate()).isEqualTo(1.0);
        assertThat(read(tenant, model, 2)).as("another version").isEmpty();
    }

    @Test
    void shouldNeverShowATenantTheRecordsOfAnotherTenantsModelOfTheSameName() throws Exception {
        String owner = Api.uniqueTenant("plogo");
        Api.createTenant(owner);
        String other = Api.uniqueTenant("plogx");
        Api.createTenant(other);
        log.record(prediction(owner, "churn", TimeOrderedIds.next(), Instant.now(), 0.5f));
        assertThat(log.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(read(owner, "churn", 3)).hasSize(1);
        assertThat(read(other, "churn", 3)).isEmpty();
    }

    @Test
    void shouldKeepTheOtherRecordsOfABatchWhenOneCannotBeWrittenAndCountIt() throws Exception {
        String tenant = Api.uniqueTenant("plogk");
        Api.createTenant(tenant);
        String gone = Api.uniqueTenant("plogg"); // never onboarded: its record breaks the foreign key
        double droppedBefore = metrics.count(MonitoringMetrics.LOG_DROPPED, gone, "m");
        UUID[] kept = {TimeOrderedIds.next(), TimeOrderedIds.next()};
        Instant now = Instant.now();
        // Queued back to back, so they are written as one COPY, which fails as a whole and is retried
        // record by record.
        assertThat(log.record(prediction(tenant, "m", kept[0], now, 0.1f))).isTrue();
        assertThat(log.record(prediction(gone, "m", TimeOrderedIds.next(), now, 0.2f)))
                .isTrue();
        assertThat(log.record(prediction(tenant, "m", kept[1], now, 0.3f))).isTrue();
        assertThat(log.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(read(tenant, "m", 3)).extracting(LogRecord::id).containsExactlyInAnyOrder(kept);
        assertThat(metrics.count(MonitoringMetrics.LOG_DROPPED, gone, "m")).isEqualTo(droppedBefore + 1);
    }

    @Test
    void shouldLogOneInNOfASampledModelAndStateTheRateOnEachRecord() throws Exception {
        String tenant = Api.uniqueTenant("plogs");
        String admin = Api.createTenant(tenant);
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("sampleRate", 0.25))
                .put("/api/v1/tenants/" + tenant + "/models/sampled/monitoring/log-settings")
                .then()
                .statusCode(200)
                .body("sampledEvery", equalTo(4))
                .body("effectiveSampleRate", equalTo(0.25f));
        // Ids whose random low bits are 0..399: exactly the 100 multiples of 4 are sampled.
        long high = TimeOrderedIds.next().getMostSignificantBits();
        for (int i = 0; i < 400; i++) {
            log.record(prediction(tenant, "sampled", new UUID(high, i), Instant.now(), 0.5f));
            log.record(prediction(tenant, "full", new UUID(high, 1000 + i), Instant.now(), 0.5f));
        }
        assertThat(log.flush(Duration.ofSeconds(10))).isTrue();

        List<LogRecord> sampled = read(tenant, "sampled", 3);
        assertThat(sampled)
                .hasSize(100)
                .allSatisfy(r -> assertThat(r.sampleRate()).isEqualTo(0.25));
        assertThat(read(tenant, "full", 3))
                .as("other models keep the default: all")
                .hasSize(400);
    }

    @Test
    void shouldFileATenantsRecordsUnderItsRetentionClassAndDropWholeExpiredDays() throws Exception {
        String tenant = Api.uniqueTenant("plogr");
        String admin = Api.createTenant(tenant);
        String settings = "/api/v1/tenants/" + tenant + "/monitoring/log-settings";
        Api.as(admin).get(settings).then().statusCode(200).body("retentionDays", equalTo(90));
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("retentionDays", 5))
                .put(settings)
                .then()
                .statusCode(200)
                .body("retentionDays", equalTo(5))
                .body("retentionClassDays", equalTo(7)); // rounded up: kept at least as long as asked
        UUID recent = TimeOrderedIds.next();
        log.record(prediction(tenant, "m", recent, Instant.now(), 0.5f));
        double droppedBefore = metrics.count(MonitoringMetrics.LOG_DROPPED, tenant, "m");
        log.record(prediction(tenant, "m", TimeOrderedIds.next(), Instant.now().minus(9, ChronoUnit.DAYS), 0.5f));
        assertThat(log.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(metrics.count(MonitoringMetrics.LOG_DROPPED, tenant, "m"))
                .as("a record already past its class's retention is not written")
                .isEqualTo(droppedBefore + 1);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select tableoid::regclass::text from prediction_log where tenant_id = ? and id = ?")) {
            ps.setString(1, tenant);
            ps.setObject(2, recent);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("prediction_log_r7_d");
            }
        }
        long old = LogPartitions.dayOf(Instant.now().toEpochMilli()) - 10;
        partitions.ensure(7, old);
        partitions.ensure(90, old);
        List<String> dropped = partitions.maintain();
        assertThat(dropped).anyMatch(name -> name.startsWith("prediction_log_r7_d"));
        assertThat(partitions.existing())
                .noneMatch(name -> name.startsWith("prediction_log_r7_d") && dropped.contains(name))
                .as("the 90-day class keeps the same day")
                .anyMatch(name -> name.startsWith("prediction_log_r90_d"));
        assertThat(read(tenant, "m", 3)).extracting(LogRecord::id).containsExactly(recent);
    }

    @Test
    void shouldDeleteTheFeedbackOfADroppedDaysPredictionsWithItAndKeepEveryOtherLabel() throws Exception {
        String tenant = Api.uniqueTenant("plogf");
        Api.createTenant(tenant);
        long today = LogPartitions.dayOf(Instant.now().toEpochMilli());
        long old = today - 11; // not the day the test above drops: each test drops a day it created
        partitions.ensure(7, old);
        partitions.ensure(90, old);
        partitions.ensure(7, today);
        Instant oldNoon = Instant.ofEpochMilli(old * 86_400_000L + 43_200_000L);
        // the same day in two classes (the tenant's retention changed): only the expired class's day goes
        UUID expired = logged(tenant, 7, oldNoon);
        UUID sameDayLongerClass = logged(tenant, 90, oldNoon.plusSeconds(1));
        UUID recent = logged(tenant, 7, Instant.now());
        for (UUID id : List.of(expired, sameDayLongerClass, recent)) {
            feedback(tenant, id);
        }

        List<String> dropped = partitions.maintain();

        assertThat(dropped).anyMatch(name -> name.startsWith("prediction_log_r7_d"));
        assertThat(feedbackOf(tenant))
                .as("the label of a dropped prediction goes with it; the others stay")
                .containsExactlyInAnyOrder(sameDayLongerClass, recent);
    }

    /** A log row written as the writer files it, with a version 7 id of its own time. */
    private UUID logged(String tenant, int retentionClass, Instant at) throws Exception {
        long millis = at.toEpochMilli();
        UUID id = new UUID((millis << 16) | 0x7000L, 0x8000_0000_0000_0001L);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into prediction_log (predicted_at, id, version,"
                        + " retention_days, tenant_id, model, record) values (?, ?, 1, ?, ?, 'm', ?)")) {
            ps.setLong(1, millis);
            ps.setObject(2, id);
            ps.setInt(3, retentionClass);
            ps.setString(4, tenant);
            ps.setBytes(5, new byte[] {0});
            ps.executeUpdate();
        }
        return id;
    }

    private void feedback(String tenant, UUID prediction) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into prediction_feedback (prediction_id, tenant_id,"
                        + " model, label, observed_at, received_at) values (?, ?, 'm', 'yes', now(), now())")) {
            ps.setObject(1, prediction);
            ps.setString(2, tenant);
            ps.executeUpdate();
        }
    }

    private List<UUID> feedbackOf(String tenant) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select prediction_id from prediction_feedback where tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add((UUID) rs.getObject(1));
                }
            }
        }
        return ids;
    }

    @Test
    void shouldRefuseARetentionBeyondTheLargestClassAndASampleRateOutsideZeroToOne() {
        String tenant = Api.uniqueTenant("plogv");
        String admin = Api.createTenant(tenant);
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("retentionDays", 10_000))
                .put("/api/v1/tenants/" + tenant + "/monitoring/log-settings")
                .then()
                .statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("field", equalTo("retentionDays"));
        Api.as(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("sampleRate", 0))
                .put("/api/v1/tenants/" + tenant + "/models/m/monitoring/log-settings")
                .then()
                .statusCode(400)
                .body("field", equalTo("sampleRate"));
        Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/monitoring/log-settings")
                .then()
                .body("retentionDays", equalTo(90));
    }

    @Test
    void shouldNotLetATenantSeeOrChangeAnotherTenantsLogSettings() {
        String victim = Api.uniqueTenant("plogv");
        Api.createTenant(victim);
        String attackerAdmin = Api.createTenant(Api.uniqueTenant("ploga"));
        int put = Api.as(attackerAdmin)
                .contentType(ContentType.JSON)
                .body(Map.of("retentionDays", 7))
                .put("/api/v1/tenants/" + victim + "/monitoring/log-settings")
                .then()
                .extract()
                .statusCode();
        assertThat(put).isIn(403, 404);
        int get = Api.as(attackerAdmin)
                .get("/api/v1/tenants/" + victim + "/models/m/monitoring/log-settings")
                .then()
                .extract()
                .statusCode();
        assertThat(get).isIn(403, 404);
    }
}
