package io.tenantml.monitoring.internal;

import io.agroal.api.AgroalDataSource;
import io.tenantml.monitoring.FeatureDriftStatus;
import io.tenantml.monitoring.MonitoringRunTrigger;
import io.tenantml.monitoring.WindowGranularity;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The rows of monitoring windows and window runs ({@code V54__monitoring_window.sql}). Every statement names
 * the current tenant from {@link TenantContext}.
 */
@ApplicationScoped
public class WindowStore {

    /** One stored hourly window. */
    public record StoredWindow(
            int version, Instant start, Instant end, long records, long scored, long represented, byte[] profile) {}

    /** A window run's own row. */
    public record RunRow(
            UUID id,
            String model,
            MonitoringRunTrigger trigger,
            Instant until,
            Instant createdAt,
            Instant from,
            Integer windows,
            Long records,
            Integer latestVersion,
            Instant latestWindowStart,
            FeatureDriftStatus latestStatus) {}

    @Inject
    TenantContext tenantContext;

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    private String tenant() {
        return tenantContext.require().value();
    }

    /** In the caller's transaction. */
    public void insertRun(UUID id, String model, MonitoringRunTrigger trigger, Instant until, Instant now) {
        em.createNativeQuery("insert into monitoring_run (id, tenant_id, model, trigger, until_at, created_at) "
                        + "values (:id, :tenant, :model, :trigger, :until, :now)")
                .setParameter("id", id)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("trigger", trigger.wireName())
                .setParameter("until", until)
                .setParameter("now", now)
                .executeUpdate();
    }

    private static final String RUN_COLUMNS = "select id, model, trigger, until_at, created_at, from_at, windows, "
            + "records, latest_version, latest_window_start, latest_status from monitoring_run ";

    @Transactional
    public Optional<RunRow> run(UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(RUN_COLUMNS + "where tenant_id = :tenant and id = :id")
                .setParameter("tenant", tenant())
                .setParameter("id", id)
                .getResultList();
        return rows.stream().findFirst().map(WindowStore::runRow);
    }

    /** The model's run ids, newest first (they are time-ordered), after {@code afterId} when given. */
    @Transactional
    public List<UUID> runIds(String model, UUID afterId, int limit) {
        jakarta.persistence.Query query = em.createNativeQuery(
                        "select id from monitoring_run where tenant_id = :tenant and model = :model"
                                + (afterId == null ? "" : " and id < :after") + " order by id desc limit :limit")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("limit", limit);
        if (afterId != null) {
            query.setParameter("after", afterId);
        }
        @SuppressWarnings("unchecked")
        List<Object> ids = query.getResultList();
        return ids.stream().map(id -> (UUID) id).toList();
    }

    /** These runs' records, in no particular order. */
    @Transactional
    public List<RunRow> runs(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(RUN_COLUMNS + "where tenant_id = :tenant and id in (:ids)")
                .setParameter("tenant", tenant())
                .setParameter("ids", ids)
                .getResultList();
        return rows.stream().map(WindowStore::runRow).toList();
    }

    private static RunRow runRow(Object[] r) {
        return new RunRow(
                (UUID) r[0],
                (String) r[1],
                MonitoringRunTrigger.fromWire((String) r[2]),
                instant(r[3]),
                instant(r[4]),
                instant(r[5]),
                r[6] == null ? null : ((Number) r[6]).intValue(),
                r[7] == null ? null : ((Number) r[7]).longValue(),
                r[8] == null ? null : ((Number) r[8]).intValue(),
                instant(r[9]),
                r[10] == null ? null : FeatureDriftStatus.valueOf((String) r[10]));
    }

    /** In the caller's transaction (the run's succeed). */
    public void finishRun(
            UUID id,
            Instant from,
            int windows,
            long records,
            Integer latestVersion,
            Instant latestStart,
            FeatureDriftStatus latestStatus) {
        em.createNativeQuery("update monitoring_run set from_at = :from, windows = :windows, records = :records, "
                        + "latest_version = :version, latest_window_start = cast(:start as timestamptz), "
                        + "latest_status = cast(:status as varchar) where tenant_id = :tenant and id = :id")
                .setParameter("from", from)
                .setParameter("windows", windows)
                .setParameter("records", records)
                .setParameter("version", latestVersion)
                .setParameter("start", latestStart == null ? null : latestStart.toString())
                .setParameter("status", latestStatus == null ? null : latestStatus.name())
                .setParameter("tenant", tenant())
                .setParameter("id", id)
                .executeUpdate();
    }

    /**
     * Writes a window whole, replacing what an earlier profile of the same hour wrote (an hour closed early,
     * or a dead attempt of this run): in the caller's transaction.
     */
    public void upsert(String model, StoredWindow w, UUID runId, Instant now) {
        em.createNativeQuery("insert into monitoring_window (tenant_id, model, version, window_start, window_end, "
                        + "records, scored, represented, profile, run_id, profiled_at) values (:tenant, :model, "
                        + ":version, :start, :end, :records, :scored, :represented, :profile, :run, :now) "
                        + "on conflict (tenant_id, model, version, window_start) do update set "
                        + "window_end = excluded.window_end, records = excluded.records, scored = excluded.scored, "
                        + "represented = excluded.represented, profile = excluded.profile, run_id = excluded.run_id, "
                        + "profiled_at = excluded.profiled_at")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("version", w.version())
                .setParameter("start", w.start())
                .setParameter("end", w.end())
                .setParameter("records", w.records())
                .setParameter("scored", w.scored())
                .setParameter("represented", w.represented())
                .setParameter("profile", w.profile())
                .setParameter("run", runId)
                .setParameter("now", now)
                .executeUpdate();
    }

    /** A deleted model's windows and runs go with it (in the deleting transaction). */
    public void deleteModel(String model) {
        for (String table : List.of("monitoring_window", "monitoring_run")) {
            em.createNativeQuery("delete from " + table + " where tenant_id = :tenant and model = :model")
                    .setParameter("tenant", tenant())
                    .setParameter("model", model)
                    .executeUpdate();
        }
    }

    /** The end of the model's latest hour that was profiled whole (any version). */
    @Transactional
    public Optional<Instant> latestClosedEnd(String model) {
        Object end = em.createNativeQuery("select max(window_end) from monitoring_window where tenant_id = :tenant "
                        + "and model = :model and window_end = window_start + interval '1 hour'")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .getSingleResult();
        return Optional.ofNullable(instant(end));
    }

    /** The model's latest hourly window (the version with most records when several served that hour). */
    @Transactional
    public Optional<StoredWindow> latest(String model) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select version, window_start, window_end, records, scored, "
                        + "represented, profile from monitoring_window where tenant_id = :tenant and model = :model "
                        + "order by window_start desc, records desc, version desc limit 1")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .getResultList();
        return rows.stream().findFirst().map(WindowStore::stored);
    }

    /**
     * Streams the model's hourly windows that start in [{@code from}, {@code to}), grouped by window of
     * {@code granularity} and version, newest window first (then highest version), from after the cursor
     * position ({@code afterBucket}, {@code afterVersion}; null for the first page), of one {@code version} only
     * when it is not null. The sink returns false to stop. Memory stays bounded: rows come from a server-side
     * cursor.
     */
    public void stream(
            String model,
            Instant from,
            Instant to,
            WindowGranularity granularity,
            Integer version,
            Instant afterBucket,
            Integer afterVersion,
            Predicate<StoredWindow> sink) {
        String bucket = "date_trunc('" + granularity.wireName() + "', window_start, 'UTC')";
        String sql = "select version, window_start, window_end, records, scored, represented, profile "
                + "from monitoring_window where tenant_id = ? and model = ? and window_start >= ? "
                + "and window_start < ?"
                + (version == null ? "" : " and version = ?")
                + (afterBucket == null ? "" : " and (" + bucket + " < ? or (" + bucket + " = ? and version < ?))")
                + " order by " + bucket + " desc, version desc, window_start";
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(200);
                ps.setString(1, tenant());
                ps.setString(2, model);
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setTimestamp(4, Timestamp.from(to));
                int next = 5;
                if (version != null) {
                    ps.setInt(next++, version);
                }
                if (afterBucket != null) {
                    ps.setTimestamp(next++, Timestamp.from(afterBucket));
                    ps.setTimestamp(next++, Timestamp.from(afterBucket));
                    ps.setInt(next, afterVersion);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        StoredWindow w = new StoredWindow(
                                rs.getInt(1),
                                rs.getTimestamp(2).toInstant(),
                                rs.getTimestamp(3).toInstant(),
                                rs.getLong(4),
                                rs.getLong(5),
                                rs.getLong(6),
                                rs.getBytes(7));
                        if (!sink.test(w)) {
                            break;
                        }
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("monitoring windows could not be read: " + e.getMessage(), e);
        }
    }

    private static StoredWindow stored(Object[] r) {
        return new StoredWindow(
                ((Number) r[0]).intValue(),
                instant(r[1]),
                instant(r[2]),
                ((Number) r[3]).longValue(),
                ((Number) r[4]).longValue(),
                ((Number) r[5]).longValue(),
                (byte[]) r[6]);
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("not a time: " + value.getClass());
    }
}
