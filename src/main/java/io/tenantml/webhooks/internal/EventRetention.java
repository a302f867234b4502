package io.tenantml.webhooks.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.tenantml.shared.database.Batches;
import io.tenantml.webhooks.WebhooksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Keeps the outbox ({@code tenant_event}) to {@link WebhooksConfig#eventRetention()}: the events older than that go,
 * with their deliveries (by cascade), except an event a delivery still retries ({@code pending}) or one the fan-out
 * has not reached. Not a tenant job: one statement serves every tenant, each row keeping its own tenant. Quartz runs
 * it on one node of the cluster at a time; a missed run is harmless (the next one deletes what is due). Batches keep
 * each transaction short beside the fan-out and the deliveries, which lock the same rows.
 */
@ApplicationScoped
public class EventRetention {

    private static final Logger LOG = Logger.getLogger(EventRetention.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    WebhooksConfig config;

    @Inject
    Clock clock;

    @Scheduled(
            identity = "event-retention",
            every = "${tenantml.webhooks.event-retention-every:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Batches.scheduled(LOG, "Events past their retention not deleted", this::prune);
    }

    /** Deletes what fell out of the retention now; returns how many events went. */
    public long prune() throws SQLException {
        Timestamp before = Timestamp.from(clock.instant().minus(config.eventRetention()));
        long deleted = Batches.deleteDue(
                dataSource,
                "delete from tenant_event where id in (select e.id from tenant_event e where e.created_at < ?"
                        + " and e.fanned_out and not exists (select 1 from webhook_delivery d"
                        + " where d.event_id = e.id and d.status = 'pending') limit ?)",
                before);
        if (deleted > 0) {
            LOG.infof("Deleted %d events older than %s (event retention) with their deliveries", deleted, before);
        }
        return deleted;
    }
}
