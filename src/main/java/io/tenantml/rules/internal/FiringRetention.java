package io.tenantml.rules.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.tenantml.monitoring.MonitoringConfig;
import io.tenantml.shared.database.Batches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Rule firings are part of monitoring's history: each names the window run that judged it, and monitoring deletes
 * window runs after {@link MonitoringConfig#historyRetention()}. Firings go after the same time, so that none is kept
 * for good and none names a run gone for longer than one interval of this job (a firing is recorded when its run
 * ends, so it is never older than the run). Not a tenant job: one statement serves every tenant, in batches, on one
 * node at a time, on the history retention's schedule.
 */
@ApplicationScoped
public class FiringRetention {

    private static final Logger LOG = Logger.getLogger(FiringRetention.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MonitoringConfig config;

    @Inject
    Clock clock;

    @Scheduled(
            identity = "rules-firing-retention",
            every = "${tenantml.monitoring.history-retention-every:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Batches.scheduled(LOG, "Rule firings past the monitoring history retention not deleted", this::prune);
    }

    /** Deletes the firings older than the history retention now; answers how many. */
    public long prune() throws SQLException {
        Timestamp before = Timestamp.from(clock.instant().minus(config.historyRetention()));
        long deleted = Batches.deleteDue(
                dataSource,
                "delete from monitoring_rule_firing where id in (select id from monitoring_rule_firing where at < ?"
                        + " limit ?)",
                before);
        if (deleted > 0) {
            LOG.infof("Deleted %d rule firings older than %s (monitoring history retention)", deleted, before);
        }
        return deleted;
    }
}
