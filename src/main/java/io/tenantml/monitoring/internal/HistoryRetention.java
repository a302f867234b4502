package io.tenantml.monitoring.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.tenantml.monitoring.MonitoringConfig;
import io.tenantml.scheduling.RunKind;
import io.tenantml.shared.database.Batches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Keeps monitoring's own history to {@link MonitoringConfig#historyRetention()}: a model profiled every hour adds
 * 8,760 window profiles and as many runs (in the ledger and in {@code monitoring_run}) a year, which nothing else
 * ever deletes while the model lives. Windows go by their start, runs by their creation, and only runs that have
 * ended: a queued or running one is the dispatcher's. Not a tenant job: one statement serves every tenant, each row
 * keeping its own tenant; Quartz runs it on one node at a time, batches keep each transaction short beside the
 * window runs that write the same tables, and a missed run is harmless (the next one deletes what is due).
 */
@ApplicationScoped
public class HistoryRetention {

    private static final Logger LOG = Logger.getLogger(HistoryRetention.class);

    private static final String WINDOWS = "delete from monitoring_window where (tenant_id, model, version,"
            + " window_start) in (select tenant_id, model, version, window_start from monitoring_window"
            + " where window_start < ? limit ?)";

    /** A window run's two rows share its id; both go in one statement. */
    private static final String RUNS = "with gone as (delete from run where id in (select id from run where kind = ?"
            + " and state in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED') and created_at < ? limit ?)"
            + " returning id), records as (delete from monitoring_run where id in (select id from gone))"
            + " select count(*) from gone";

    /** What one pass deleted. */
    public record Result(long windows, long runs) {}

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MonitoringConfig config;

    @Inject
    Clock clock;

    @Scheduled(
            identity = "monitoring-history-retention",
            every = "${tenantml.monitoring.history-retention-every:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Batches.scheduled(LOG, "Monitoring history past its retention not deleted", this::prune);
    }

    /** Deletes the windows and ended window runs older than the retention now. */
    public Result prune() throws SQLException {
        Timestamp before = Timestamp.from(clock.instant().minus(config.historyRetention()));
        long windows = Batches.deleteDue(dataSource, WINDOWS, before);
        long runs;
        try (Connection c = dataSource.getConnection();
                PreparedStatement deleteRuns = c.prepareStatement(RUNS)) {
            runs = Batches.untilShort(Batches.SIZE, Batches.MOST, () -> {
                deleteRuns.setString(1, RunKind.MONITORING_WINDOW.name());
                deleteRuns.setTimestamp(2, before);
                deleteRuns.setInt(3, Batches.SIZE);
                try (ResultSet rs = deleteRuns.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        }
        if (windows + runs > 0) {
            LOG.infof(
                    "Deleted %d monitoring windows and %d ended window runs older than %s (history retention)",
                    windows, runs, before);
        }
        return new Result(windows, runs);
    }
}
