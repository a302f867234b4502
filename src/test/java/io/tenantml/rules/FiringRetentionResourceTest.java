package io.tenantml.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.monitoring.MonitoringConfig;
import io.tenantml.rules.internal.FiringRetention;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A monitoring rule's firings are kept as long as the window runs they name (the monitoring history retention), not
 * for good: older ones go, younger ones stay.
 */
@QuarkusTest
class FiringRetentionResourceTest {

    @Inject
    FiringRetention retention;

    @Inject
    MonitoringConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldDeleteFiringsOlderThanTheHistoryRetentionAndKeepYoungerOnes() throws Exception {
        String tenant = Api.uniqueTenant("firings");
        Api.createTenant(tenant);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Duration keep = config.historyRetention();
        Instant old = now.minus(keep).minus(Duration.ofDays(1));
        Instant young = now.minus(keep).plus(Duration.ofDays(1));
        for (Instant at : List.of(old, old.minusSeconds(60), young, now)) {
            insertFiring(tenant, at);
        }

        assertThat(retention.prune()).isGreaterThanOrEqualTo(2);

        assertThat(firingTimes(tenant)).containsExactlyInAnyOrder(young, now);
    }

    private void insertFiring(String tenant, Instant at) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "insert into monitoring_rule_firing (id, tenant_id, model, rule_key, position, run_id, kind, at)"
                                + " values (gen_random_uuid(), ?, 'scores', 'drift', 0, gen_random_uuid(), 'fired', ?)")) {
            ps.setString(1, tenant);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    private List<Instant> firingTimes(String tenant) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select at from monitoring_rule_firing where tenant_id = ?")) {
            ps.setString(1, tenant);
            List<Instant> times = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    times.add(rs.getTimestamp(1).toInstant());
                }
            }
            return times;
        }
    }
}
