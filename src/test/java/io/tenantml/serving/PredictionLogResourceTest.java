package io.tenantml.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PredictionLogResourceTest {

    @Inject
    PredictionLog log;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    ServingMetrics metrics;

    @Test
    void shouldStoreFeaturesAndOutputExactlyWhateverCharactersTheirNamesHold() throws Exception {
        String tenant = Api.uniqueTenant("plog");
        Api.createTenant(tenant);
        // Column names come from tenants' files: COPY's text format must not be confused by any of these.
        String[] names = {"Beak Length (mm)", "tab\there", "back\\slash", "new\nline", "quote\"d", "ünï €"};
        float[] features = {47.5f, Float.NaN, -1e-3f, 3f, 0f, 1e30f};
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("score", 0.875);
        output.put("label", "a\tb\\c\nd");
        UUID id = UUID.randomUUID();
        Instant at = Instant.parse("2026-11-26T10:11:12.123456Z");
        assertThat(log.record(new LoggedPrediction(id, new TenantId(tenant), "m.v-1", 3, at, names, features, output)))
                .isTrue();
        assertThat(log.flush(Duration.ofSeconds(10))).isTrue();

        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select model, version, predicted_at, features::text, output::text "
                                + "from prediction_log where id = ? and tenant_id = ?")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("m.v-1");
                assertThat(rs.getInt(2)).isEqualTo(3);
                assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(at);
                JsonNode stored = json.readTree(rs.getString(4));
                assertThat(stored.size()).isEqualTo(names.length);
                for (int i = 0; i < names.length; i++) {
                    JsonNode value = stored.get(names[i]);
                    assertThat(value).as(names[i]).isNotNull();
                    if (Float.isNaN(features[i])) {
                        assertThat(value.isNull()).as(names[i]).isTrue();
                    } else {
                        assertThat(value.floatValue()).as(names[i]).isEqualTo(features[i]);
                    }
                }
                JsonNode out = json.readTree(rs.getString(5));
                assertThat(out.get("score").doubleValue()).isEqualTo(0.875);
                assertThat(out.get("label").textValue()).isEqualTo("a\tb\\c\nd");
            }
        }
    }

    @Test
    void shouldKeepTheOtherRecordsOfABatchWhenOneCannotBeWrittenAndCountIt() throws Exception {
        String tenant = Api.uniqueTenant("plogk");
        Api.createTenant(tenant);
        String gone = Api.uniqueTenant("plogg"); // never onboarded: its record breaks the foreign key
        double droppedBefore = metrics.count(ServingMetrics.LOG_DROPPED, gone, "m");
        UUID[] kept = {UUID.randomUUID(), UUID.randomUUID()};
        Instant now = Instant.now();
        String[] names = {"x"};
        // Queued back to back, so they are written as one COPY, which fails as a whole and is retried
        // record by record.
        assertThat(log.record(new LoggedPrediction(
                        kept[0], new TenantId(tenant), "m", 1, now, names, new float[] {1}, Map.of("score", 0.1))))
                .isTrue();
        assertThat(log.record(new LoggedPrediction(
                        UUID.randomUUID(),
                        new TenantId(gone),
                        "m",
                        1,
                        now,
                        names,
                        new float[] {2},
                        Map.of("score", 0.2))))
                .isTrue();
        assertThat(log.record(new LoggedPrediction(
                        kept[1], new TenantId(tenant), "m", 1, now, names, new float[] {3}, Map.of("score", 0.3))))
                .isTrue();
        assertThat(log.flush(Duration.ofSeconds(10))).isTrue();

        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select count(*) from prediction_log where tenant_id = ? and id = any(?)")) {
            ps.setString(1, tenant);
            ps.setArray(2, c.createArrayOf("uuid", kept));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
        assertThat(metrics.count(ServingMetrics.LOG_DROPPED, gone, "m")).isEqualTo(droppedBefore + 1);
    }
}
