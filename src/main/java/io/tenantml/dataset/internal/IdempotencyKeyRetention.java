package io.tenantml.dataset.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.tenantml.dataset.DatasetConfig;
import io.tenantml.shared.database.Batches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Forgets upload Idempotency-Keys older than {@link DatasetConfig#idempotencyRetention()}, as the IETF
 * Idempotency-Key draft expects of a server (keys expire, and the expiry is published: README, OpenAPI): every
 * upload with a key otherwise left a row for good. A claim's age counts from when it was last taken, so a pending
 * claim is far past its lease by then. Not a tenant job: one statement serves every tenant, each row keeping its own
 * tenant; Quartz runs it on one node at a time, in batches.
 */
@ApplicationScoped
public class IdempotencyKeyRetention {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeyRetention.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DatasetConfig config;

    @Inject
    Clock clock;

    @Scheduled(
            identity = "dataset-idempotency-key-retention",
            every = "${tenantml.dataset.idempotency-retention-every:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Batches.scheduled(LOG, "Upload idempotency keys past their retention not forgotten", this::prune);
    }

    /** Forgets the keys older than the retention now; answers how many. */
    public long prune() throws SQLException {
        Timestamp before = Timestamp.from(clock.instant().minus(config.idempotencyRetention()));
        long forgotten = Batches.deleteDue(
                dataSource,
                "delete from dataset_idempotency where id in (select id from dataset_idempotency"
                        + " where created_at < ? limit ?)",
                before);
        if (forgotten > 0) {
            LOG.infof("Forgot %d upload idempotency keys taken before %s", forgotten, before);
        }
        return forgotten;
    }
}
