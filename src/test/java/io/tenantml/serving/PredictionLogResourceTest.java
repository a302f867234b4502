package io.tenantml.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.tenancy.TenantId;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class PredictionLogResourceTest {

    @Inject
    PredictionLog log;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    ObjectMapper json;

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
        assertThat(log.record(new LoggedPrediction(id, new TenantId(tenant), "m.v-1", 3, at, names, features, output))).isTrue();
        assertThat(log.flush(Duration.ofSeconds(10))).isTrue();

        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select model, version, predicted_at, features::text, output::text "
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
}
