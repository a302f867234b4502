package io.tenantml.monitoring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.monitoring.MonitoringConfig;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Monitoring's own history is kept for the history retention (400 days by default): older window profiles and
 * ended window runs go, with both rows of each run; a window run still queued or running stays, and so does every
 * other kind of run (a training is its model version's provenance).
 */
@QuarkusTest
class HistoryRetentionResourceTest {

    @Inject
    HistoryRetention retention;

    @Inject
    MonitoringConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldDeleteWindowsAndEndedWindowRunsPastTheRetentionAndKeepTheRest() throws Exception {
        String tenant = Api.uniqueTenant("history");
        Api.createTenant(tenant);
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant old = now.minus(config.historyRetention()).minus(Duration.ofDays(1));
        Instant recent = now.minus(config.historyRetention()).plus(Duration.ofDays(1));

        window(tenant, old);
        window(tenant, old.plus(Duration.ofHours(1)));
        window(tenant, recent);
        run(tenant, "MONITORING_WINDOW", "SUCCEEDED", old);
        run(tenant, "MONITORING_WINDOW", "FAILED", old);
        UUID oldQueued = run(tenant, "MONITORING_WINDOW", "QUEUED", old);
        UUID recentSucceeded = run(tenant, "MONITORING_WINDOW", "SUCCEEDED", recent);
        UUID oldTraining = run(tenant, "TRAINING", "SUCCEEDED", old);

        HistoryRetention.Result result = retention.prune();

        assertThat(result.windows()).isGreaterThanOrEqualTo(2);
        assertThat(result.runs()).isGreaterThanOrEqualTo(2);
        assertThat(windowStarts(tenant)).containsExactly(recent);
        assertThat(ids(tenant, "select id from run where tenant_id = ?"))
                .containsExactlyInAnyOrder(oldQueued, recentSucceeded, oldTraining);
        assertThat(ids(tenant, "select id from monitoring_run where tenant_id = ?"))
                .containsExactlyInAnyOrder(oldQueued, recentSucceeded, oldTraining);

        retention.prune();
        assertThat(windowStarts(tenant)).as("after a second pass").containsExactly(recent);
        assertThat(ids(tenant, "select id from run where tenant_id = ?"))
                .as("after a second pass")
                .hasSize(3);
    }

    private void window(String tenant, Instant start) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into monitoring_window (tenant_id, model, version,"
                        + " window_start, window_end, records, scored, represented, profile, run_id, profiled_at)"
                        + " values (?, 'm', 1, ?, ?, 1, 1, 1, ?, ?, now())")) {
            ps.setString(1, tenant);
            ps.setTimestamp(2, Timestamp.from(start));
            ps.setTimestamp(3, Timestamp.from(start.plus(Duration.ofHours(1))));
            ps.setBytes(4, new byte[] {1});
            ps.setObject(5, UUID.randomUUID());
            ps.executeUpdate();
        }
    }

    /** A run in the ledger with its monitoring_run row (a training has none in life; here it tests the kind). */
    private UUID run(String tenant, String kind, String state, Instant created) throws Exception {
        UUID id = UUID.randomUUID();
        boolean ended = !state.equals("QUEUED");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ledger = c.prepareStatement("insert into run (id, tenant_id, kind, subject, state,"
                        + " created_at, finished_at) values (?, ?, ?, 'm', ?, ?, ?)");
                PreparedStatement record = c.prepareStatement("insert into monitoring_run (id, tenant_id, model,"
                        + " trigger, until_at, created_at) values (?, ?, 'm', 'schedule', ?, ?)")) {
            ledger.setObject(1, id);
            ledger.setString(2, tenant);
            ledger.setString(3, kind);
            ledger.setString(4, state);
            ledger.setTimestamp(5, Timestamp.from(created));
            ledger.setTimestamp(6, ended ? Timestamp.from(created.plusSeconds(5)) : null);
            ledger.executeUpdate();
            record.setObject(1, id);
            record.setString(2, tenant);
            record.setTimestamp(3, Timestamp.from(created));
            record.setTimestamp(4, Timestamp.from(created));
            record.executeUpdate();
        }
        return id;
    }

    private List<Instant> windowStarts(String tenant) throws Exception {
        List<Instant> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select window_start from monitoring_window where tenant_id = ? order by window_start")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        return out;
    }

    private List<UUID> ids(String tenant, String sql) throws Exception {
        List<UUID> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (sql.contains("?")) {
                ps.setString(1, tenant);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add((UUID) rs.getObject(1));
                }
            }
        }
        return out;
    }
}
