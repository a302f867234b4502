package io.tenantml.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import io.tenantml.testing.MovableClock;
import io.tenantml.usage.internal.UsageStore;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A minute's total that a node could not write within half the minute retention is dropped, not written: the
 * rollup may already have summed the minute's earlier total into its hour, and writing it again would count it
 * twice. What is dropped is counted in {@link Meters#LOST}.
 */
@QuarkusTest
class MetersLateMinuteResourceTest {

    @Inject
    UsageStore store;

    @Inject
    UsageConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldDropAMinuteNotWrittenWithinHalfTheRetentionAndWriteLaterMinutes() throws Exception {
        String tenant = Api.uniqueTenant("late-minute");
        Api.createTenant(tenant);
        MovableClock clock = new MovableClock(Instant.parse("2020-03-05T10:00:10Z"));
        Meters meters = new Meters();
        meters.store = store;
        meters.config = config;
        meters.clock = clock;
        meters.registry = new SimpleMeterRegistry();
        Map<String, String> model = Map.of("model", "m", "version", "1");

        meters.add(TenantId.of(tenant), Meter.PREDICT_RECORDS, model, 5);
        meters.flush();
        meters.add(TenantId.of(tenant), Meter.PREDICT_RECORDS, model, 3);
        clock.now = clock.now.plus(config.minuteRetention().dividedBy(2)).plus(Duration.ofMinutes(1));
        meters.add(TenantId.of(tenant), Meter.PREDICT_RECORDS, model, 4);
        meters.flush();

        assertThat(quantities(tenant))
                .as("the 10:00 row keeps what it had; its late 3 are lost, the later minute's 4 are written")
                .containsExactly(5.0, 4.0);
        assertThat(meters.pending()).isZero();
        assertThat(meters.registry
                        .get(Meters.LOST)
                        .tags("tenant", tenant, "meter", Meter.PREDICT_RECORDS.wireName())
                        .counter()
                        .count())
                .as("what was dropped is counted where an operator can alert on it")
                .isEqualTo(3.0);
    }

    private List<Double> quantities(String tenant) throws Exception {
        List<Double> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select quantity from usage_event where tenant_id = ? order by occurred_at")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getDouble(1));
                }
            }
        }
        return out;
    }
}
