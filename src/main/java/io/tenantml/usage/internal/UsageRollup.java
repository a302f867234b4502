package io.tenantml.usage.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.tenantml.shared.database.Batches;
import io.tenantml.usage.UsageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * Sums the per-minute rows of the high-rate meters into one row per hour once they are older than
 * {@link UsageConfig#minuteRetention()}. Online traffic otherwise leaves 1,440 rows a day for each node, meter,
 * model version and tenant, which every report and cost query scans again. Reports group by day or month, and an
 * hour never straddles a UTC day, so every figure they show stays the same.
 *
 * <p>Each batch moves its minute rows in one statement: it deletes them and adds their sums to the hour rows, in
 * one transaction. The hour row adds (where the minute upsert keeps the greater total) because a minute row can be
 * moved only once: nodes running at once take different rows, and a batch that fails moves nothing. A minute's
 * total is never written again after this: {@link MinuteTotals} drops what could not be written within half the
 * retention. Not a tenant job: one statement serves every tenant, each row keeping its own tenant, as the event
 * retention does.
 */
@ApplicationScoped
public class UsageRollup {

    private static final Logger LOG = Logger.getLogger(UsageRollup.class);

    /** Minute rows moved per statement (and transaction), so that a run never holds locks for long. */
    static final int BATCH = 10_000;

    /** At most this many batches a run: a backlog is worked off over the next runs. */
    static final int MAX_BATCHES = 200;

    /**
     * Deletes a batch of due minute rows and adds their sums to the hour rows; answers how many minute rows it
     * moved. The hour row's id names everything a report groups by: the hour, the meter, and a digest of model,
     * version and the other dimensions (a jsonb array, which tells null from empty and prints keys in one order).
     * {@code skip locked}: nodes running at once take different rows instead of waiting for each other.
     */
    private static final String MOVE = "with moved as (delete from usage_event where (tenant_id, idempotency_id) in"
            + " (select tenant_id, idempotency_id from usage_event where idempotency_id like 'minute:%'"
            + " and occurred_at < ? order by occurred_at limit ? for update skip locked)"
            + " returning tenant_id, meter, model, version, dimensions, quantity,"
            + " date_trunc('hour', occurred_at at time zone 'UTC') as hour),"
            + " hours as (insert into usage_event (tenant_id, idempotency_id, meter, model, version, dimensions,"
            + " quantity, occurred_at)"
            + " select tenant_id, 'hour:' || to_char(hour, 'YYYY-MM-DD\"T\"HH24') || ':' || meter || ':'"
            + " || md5(jsonb_build_array(model, version, dimensions)::text),"
            + " meter, model, version, dimensions, sum(quantity), hour at time zone 'UTC'"
            + " from moved group by tenant_id, hour, meter, model, version, dimensions"
            + " on conflict (tenant_id, idempotency_id) do update set"
            + " quantity = usage_event.quantity + excluded.quantity, recorded_at = now() returning 1)"
            + " select count(*) from moved";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    UsageConfig config;

    @Inject
    Clock clock;

    @Scheduled(
            identity = "usage-minute-rollup",
            every = "${tenantml.usage.rollup-every:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            rollUp();
        } catch (SQLException e) {
            LOG.error("Usage minute rows not summed into hours (the next run tries again)", e);
        }
    }

    /** Moves the minute rows due now; see {@link #rollUp(int)}. */
    public long rollUp() throws SQLException {
        return rollUp(BATCH);
    }

    /**
     * Moves every minute row whose whole hour is older than the minute retention into its hour row, at most
     * {@code batch} rows a transaction; answers how many minute rows it moved.
     */
    public long rollUp(int batch) throws SQLException {
        Timestamp before = Timestamp.from(due());
        long moved;
        try (Connection c = dataSource.getConnection();
                PreparedStatement move = c.prepareStatement(MOVE)) {
            moved = Batches.untilShort(batch, MAX_BATCHES, () -> {
                move.setTimestamp(1, before);
                move.setInt(2, batch);
                try (ResultSet rs = move.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        }
        if (moved > 0) {
            LOG.infof("Summed %d usage minute rows before %s into hour rows", moved, before);
        }
        return moved;
    }

    /** The end of the last hour that lies wholly before the retention: an hour is moved whole, never in parts. */
    private Instant due() {
        return clock.instant().minus(config.minuteRetention()).truncatedTo(ChronoUnit.HOURS);
    }
}
