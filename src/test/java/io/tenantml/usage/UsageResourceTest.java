package io.tenantml.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import io.tenantml.testing.UsageEvents;
import io.tenantml.usage.internal.StorageSampler;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UsageResourceTest {

    static final Map<String, Object> PENGUINS = Fixtures.penguinsSpecies(10, 5);

    @Inject
    Meters meters;

    @Inject
    io.tenantml.training.TrainingConfig trainingConfig;

    @Inject
    StorageSampler storage;

    @Inject
    AgroalDataSource dataSource;

    static String tenant;
    static String admin;
    static String integration;

    @BeforeEach
    void penguins() {
        if (tenant == null) {
            tenant = Api.uniqueTenant("usage");
            admin = Api.createTenant(tenant);
            Fixtures.uploadResource(tenant, admin, "penguins", "penguins.json");
            Fixtures.defineModel(tenant, admin, "species", PENGUINS, true);
            Fixtures.train(tenant, admin, "species");
            integration = Api.createKey(tenant, admin, "integration");
        }
    }

    static Map<String, Object> penguin() {
        Map<String, Object> record = new HashMap<>();
        record.put("Island", "Biscoe");
        record.put("Beak Length (mm)", 47.5);
        record.put("Beak Depth (mm)", 15.0);
        record.put("Flipper Length (mm)", 218);
        record.put("Body Mass (g)", 4950);
        record.put("Sex", "FEMALE");
        return record;
    }

    static void predict(int records) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            batch.add(penguin());
        }
        Api.as(integration)
                .contentType(ContentType.JSON)
                .body(Map.of("records", batch))
                .post("/api/v1/tenants/" + tenant + "/models/species/predict")
                .then()
                .statusCode(200);
    }

    static double quantity(String meter, String groupBy) {
        Response r = Api.as(admin)
                .queryParam("meter", meter)
                .queryParam("groupBy", groupBy)
                .queryParam("from", "2000-01-01")
                .queryParam("to", "2100-01-01")
                .get("/api/v1/tenants/" + tenant + "/usage");
        r.then().statusCode(200);
        List<Number> q = r.path("items.quantity");
        return q.stream().mapToDouble(Number::doubleValue).sum();
    }

    @Test
    void shouldMeterEveryScoredRecordOnceAfterAFlush() {
        meters.flush();
        double before = quantity("predict.records", "model");
        predict(3); // cold: worker thread
        predict(2); // warm: I/O thread
        predict(4);
        meters.flush();
        assertThat(quantity("predict.records", "model") - before).isEqualTo(9);
        // a second flush with nothing new, and a replay of the stored rows, change nothing
        meters.flush();
        assertThat(quantity("predict.records", "version")).isEqualTo(before + 9);
    }

    /** A training seen succeeded is billed already: its usage commits with its success, never after it. */
    @Test
    void shouldBillATrainingInTheTransactionThatRecordsItsSuccess() throws Exception {
        String training = Api.as(admin)
                .queryParam("model", "species")
                .get("/api/v1/tenants/" + tenant + "/trainings")
                .path("items[0].id");
        UsageEvents.assertWrittenWithRun(dataSource, tenant, "training:" + training + ":", UUID.fromString(training));
        double wall = quantity("training.wall_seconds", "version");
        assertThat(wall).isPositive();
        // the cores a node held for it: wall time on each of the training's threads
        assertThat(quantity("training.cpu_seconds", "version"))
                .isCloseTo(wall * trainingConfig.threads(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldCountAReplayedEventOnce() {
        TenantId t = TenantId.of(tenant);
        assertThat(meters.record(t, Meter.WEBHOOK_DELIVERIES, Map.of(), 1, "delivery-1"))
                .isTrue();
        assertThat(meters.record(t, Meter.WEBHOOK_DELIVERIES, Map.of(), 1, "delivery-1"))
                .isFalse();
        assertThat(meters.record(t, Meter.WEBHOOK_DELIVERIES, Map.of(), 1, "delivery-2"))
                .isTrue();
        assertThat(quantity("webhook.deliveries", "")).isEqualTo(2);
    }

    @Test
    void shouldNotAddUpAReplayedMinuteBucket() throws Exception {
        predict(5);
        meters.flush();
        double metered = quantity("predict.records", "");
        // replay every stored bucket row as the flusher would write it again
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("insert into usage_event (tenant_id, idempotency_id, meter, model, version, dimensions, "
                    + "quantity, occurred_at) select tenant_id, idempotency_id, meter, model, version, dimensions, "
                    + "quantity, occurred_at from usage_event where tenant_id = '" + tenant + "' "
                    + "on conflict (tenant_id, idempotency_id) do update set quantity = "
                    + "greatest(usage_event.quantity, excluded.quantity)");
        }
        assertThat(quantity("predict.records", "")).isEqualTo(metered);
    }

    @Test
    void shouldMeterIngestionTrainingAndStorage() {
        long rows = Api.as(admin)
                .get("/api/v1/tenants/" + tenant + "/datasets/penguins/versions/1")
                .then()
                .statusCode(200)
                .extract()
                .<Number>path("rows")
                .longValue();
        assertThat(quantity("ingest.rows", "")).isEqualTo(rows);
        assertThat(quantity("ingest.bytes", "")).isPositive();
        assertThat(quantity("training.wall_seconds", "version")).isPositive();
        assertThat(quantity("training.cpu_seconds", "version")).isPositive();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        storage.sample(today);
        double stored = quantity("storage.byte_days", "day");
        assertThat(stored).isPositive();
        storage.sample(today); // the same day again: nothing new
        assertThat(quantity("storage.byte_days", "day")).isEqualTo(stored);
    }

    @Test
    void shouldGroupByDayAndModelWithTotalsThatReconcile() {
        predict(2);
        meters.flush();
        double total = quantity("", "");
        assertThat(quantity("", "day,model,version")).isEqualTo(total);
        assertThat(quantity("", "month")).isEqualTo(total);
    }

    @Test
    void shouldPageGroupsWithTheOneCursorConvention() throws Exception {
        Response first = Api.as(admin)
                .queryParam("limit", 1)
                .queryParam("from", "2000-01-01")
                .get("/api/v1/tenants/" + tenant + "/usage");
        first.then().statusCode(200);
        String next = first.path("next");
        assertThat(next).isNotNull();
        Api.as(admin)
                .queryParam("limit", 1)
                .queryParam("from", "2000-01-01")
                .queryParam("cursor", next)
                .get("/api/v1/tenants/" + tenant + "/usage")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1));
    }

    @Test
    void shouldRefuseAnUnknownGroupingNamingTheParameter() {
        Api.as(admin)
                .queryParam("groupBy", "colour")
                .get("/api/v1/tenants/" + tenant + "/usage")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("groupBy"));
    }

    @Test
    void shouldNotShowUsageToAnIntegrationKey() {
        Api.as(integration).get("/api/v1/tenants/" + tenant + "/usage").then().statusCode(403);
    }
}
