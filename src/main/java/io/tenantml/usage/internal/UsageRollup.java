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
 * {@link UsageConfig#minuteRetention()}, and those hour rows into one row per UTC day once they are older than
 * {@link UsageConfig#hourRetention()}. Online traffic otherwise leaves 1,440 rows a day for each node, meter, model
 * version and tenant, which every report and cost query scans again. Reports group by day or month, and an hour
 * never straddles a UTC day, so every figure they show stays the same.
 *
 * <p>Each batch moves its rows in one statement: it deletes them and adds their sums to the coarser rows, in one
 * transaction. The coarser row adds (where the minute upsert keeps the greater total) because a row can be moved
 * only once: nodes running at once take different rows, and a batch that fails moves nothing. A minute's
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
     * One step of the rollup: rows of a finer period (ids {@code from:...}) become rows of a coarser one (ids
     * {@code to:<period>:<meter>:<digest>}, at the period's start).
     */
    enum Step {
        MINUTES_INTO_HOURS("minute", "hour", "hour", "YYYY-MM-DD\"T\"HH24"),
        HOURS_INTO_DAYS("hour", "day", "day", "YYYY-MM-DD");

        /**
         * Deletes a batch of due rows of the finer period and adds their sums to the coarser rows; answers how many
         * it moved. The coarser row's id names everything a report groups by: the period, the meter, and a digest of
         * model, version and the other dimensions (a jsonb array, which tells null from empty and prints keys in one
         * order). {@code skip locked}: nodes running at once take different rows instead of waiting for each other.
         */
        final String move;

        Step(String from, String to, String truncateTo, String periodFormat) {
            move = "with moved as (delete from usage_event where (tenant_id, idempotency_id) in"
                    + " (select tenant_id, idempotency_id from usage_event where idempotency_id like '" + from + ":%'"
                    + " and occurred_at < ? order by occurred_at limit ? for update skip locked)"
                    + " returning tenant_id, meter, model, version, dimensions, quantity,"
                    + " date_trunc('" + truncateTo + "', occurred_at at time zone 'UTC') as period),"
                    + " periods as (insert into usage_event (tenant_id, idempotency_id, meter, model, version,"
                    + " dimensions, quantity, occurred_at)"
                    + " select tenant_id, '" + to + ":' || to_char(period, '" + periodFormat + "') || ':' || meter"
                    + " || ':' || md5(jsonb_build_array(model, version, dimensions)::text),"
                    + " meter, model, version, dimensions, sum(quantity), period at time zone 'UTC'"
                    + " from moved group by tenant_id, period, meter, model, version, dimensions"
                    + " on conflict (tenant_id, idempotency_id) do update set"
                    + " quantity = usage_event.quantity + excluded.quantity, recorded_at = now() returning 1)"
                    + " select count(*) from moved";
        }
    }

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
        Batches.scheduled(LOG, "Usage minute or hour rows not summed", () -> {
            rollUp();
            rollUpHours();
        });
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
        Instant due = clock.instant().minus(config.minuteRetention()).truncatedTo(ChronoUnit.HOURS);
        return move(Step.MINUTES_INTO_HOURS, due, batch);
    }

    /**
     * Moves every hour row whose whole UTC day is older than the hour retention into its day row; answers how many
     * hour rows it moved.
     */
    public long rollUpHours() throws SQLException {
        Instant due = clock.instant().minus(config.hourRetention()).truncatedTo(ChronoUnit.DAYS);
        return move(Step.HOURS_INTO_DAYS, due, BATCH);
    }

    /** A period is moved whole, never in parts: {@code due} is the start of a period of the coarser kind. */
    private long move(Step step, Instant due, int batch) throws SQLException {
        Timestamp before = Timestamp.from(due);
        long moved;
        try (Connection c = dataSource.getConnection();
                PreparedStatement move = c.prepareStatement(step.move)) {
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
            LOG.infof("Usage rollup %s: summed %d rows before %s", step, moved, before);
        }
        return moved;
    }
}
