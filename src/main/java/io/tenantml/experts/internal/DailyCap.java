package io.tenantml.experts.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.database.Batches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Recommendations given per expert and UTC day, shared by every node through PostgreSQL, for the optional
 * per-expert daily cap. Every statement names the tenant, except the pruning of past days, which serves every
 * tenant at once: only today's counts are ever read, so a day is deleted once it is over by more than a day (node
 * clocks differ, and a request that began before midnight may still count).
 */
@ApplicationScoped
public class DailyCap {

    private static final Logger LOG = Logger.getLogger(DailyCap.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    public Map<String, Integer> given(TenantId tenant, String recommender, LocalDate day) {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select expert, given from expert_daily_count"
                        + " where tenant_id = ? and recommender = ? and day = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, recommender);
            ps.setDate(3, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("daily counts unreadable: " + e.getMessage(), e);
        }
        return counts;
    }

    public void count(TenantId tenant, String recommender, LocalDate day, List<String> experts) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "insert into expert_daily_count (tenant_id, recommender, expert, day, given) values (?, ?, ?, ?, 1)"
                                + " on conflict (tenant_id, recommender, expert, day)"
                                + " do update set given = expert_daily_count.given + 1")) {
            for (String expert : experts) {
                ps.setString(1, tenant.value());
                ps.setString(2, recommender);
                ps.setString(3, expert);
                ps.setDate(4, Date.valueOf(day));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("daily counts not written: " + e.getMessage(), e);
        }
    }

    @Scheduled(
            identity = "experts-daily-cap-prune",
            every = "${tenantml.experts.daily-cap-prune-every:6h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Batches.scheduled(LOG, "Past days' expert counts not deleted", () -> prune(LocalDate.now(clock)));
    }

    /** Deletes the counts of days before yesterday (UTC); answers how many rows went. */
    public long prune(LocalDate today) throws SQLException {
        return Batches.deleteDue(
                dataSource,
                "delete from expert_daily_count where (tenant_id, recommender, expert, day) in (select tenant_id,"
                        + " recommender, expert, day from expert_daily_count where day < ? limit ?)",
                Date.valueOf(today.minusDays(1)));
    }
}
