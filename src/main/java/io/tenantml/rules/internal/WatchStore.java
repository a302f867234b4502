package io.tenantml.rules.internal;

import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code rollback_watch} table; every statement names the tenant in context. Callers hold the transaction. */
@ApplicationScoped
public class WatchStore {

    private static final String COLUMNS =
            "cast(id as text), model, alias, position, cast(training_id as text), version,"
                    + " previous_version, metric, rollback_margin, min_samples, windows, counted, started_at, status, baseline,"
                    + " baseline_source, last_value, last_source, last_samples, cast(last_run as text), ended_at,"
                    + " cast(event_id as text), note";

    @Inject
    EntityManager em;

    @Inject
    TenantContext tenantContext;

    /** One watch as stored. */
    public record WatchRow(
            UUID id,
            String model,
            String alias,
            int position,
            UUID training,
            int version,
            int previousVersion,
            String metric,
            double rollbackMargin,
            int minSamples,
            int windows,
            int counted,
            Instant startedAt,
            String status,
            Double baseline,
            String baselineSource,
            Double lastValue,
            String lastSource,
            Long lastSamples,
            UUID lastRun,
            Instant endedAt,
            UUID event,
            String note) {}

    private String tenant() {
        return tenantContext.require().value();
    }

    /** The model's watch in progress; {@code lock}: for update. */
    public Optional<WatchRow> active(String model, boolean lock) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select " + COLUMNS + " from rollback_watch where tenant_id = :tenant"
                                + " and model = :model and status = 'watching'" + (lock ? " for update" : ""))
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .getResultList();
        return rows.stream().findFirst().map(WatchStore::row);
    }

    /** The model's latest watches, newest first. */
    public List<WatchRow> recent(String model, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select " + COLUMNS + " from rollback_watch where tenant_id = :tenant"
                                + " and model = :model order by started_at desc, id desc limit :limit")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream().map(WatchStore::row).toList();
    }

    public void start(
            UUID id,
            String model,
            String alias,
            int position,
            UUID training,
            int version,
            int previousVersion,
            String metric,
            double rollbackMargin,
            int minSamples,
            int windows,
            Instant now) {
        em.createNativeQuery("insert into rollback_watch (id, tenant_id, model, alias, position, training_id, version,"
                        + " previous_version, metric, rollback_margin, min_samples, windows, started_at, status) values"
                        + " (:id, :tenant, :model, :alias, :position, :training, :version, :previous, :metric, :margin,"
                        + " :minSamples, :windows, :now, 'watching')")
                .setParameter("id", id)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("alias", alias)
                .setParameter("position", position)
                .setParameter("training", training)
                .setParameter("version", version)
                .setParameter("previous", previousVersion)
                .setParameter("metric", metric)
                .setParameter("margin", rollbackMargin)
                .setParameter("minSamples", minSamples)
                .setParameter("windows", windows)
                .setParameter("now", now)
                .executeUpdate();
    }

    /** Ends the model's watch in progress, if any, with {@code status} and why. */
    public void endActive(String model, String status, String note, Instant now) {
        em.createNativeQuery("update rollback_watch set status = :status, note = :note, ended_at = :now"
                        + " where tenant_id = :tenant and model = :model and status = 'watching'")
                .setParameter("status", status)
                .setParameter("note", note)
                .setParameter("now", now)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .executeUpdate();
    }

    /**
     * Records one evaluated run of a watch still in progress: the baseline, the figure judged, the runs counted
     * ({@code counted} more), and the status it left. A watch that ended meanwhile (a person moved production, or
     * another run rolled back first) is left as it is.
     */
    public void judged(
            UUID id,
            UUID run,
            int counted,
            Double baseline,
            String baselineSource,
            Double lastValue,
            String lastSource,
            Long lastSamples,
            String status,
            Instant endedAt,
            UUID event,
            String note) {
        em.createNativeQuery("update rollback_watch set last_run = cast(:run as uuid), counted = counted + :counted,"
                        + " baseline = cast(:baseline as double precision), baseline_source = :baselineSource,"
                        + " last_value = coalesce(cast(:lastValue as double precision), last_value),"
                        + " last_source = coalesce(:lastSource, last_source),"
                        + " last_samples = coalesce(cast(:lastSamples as bigint), last_samples),"
                        + " status = :status, ended_at = cast(:endedAt as timestamptz),"
                        + " event_id = cast(:event as uuid), note = :note where tenant_id = :tenant and id = :id"
                        + " and status = 'watching'")
                .setParameter("run", run.toString())
                .setParameter("counted", counted)
                .setParameter("baseline", baseline)
                .setParameter("baselineSource", baselineSource)
                .setParameter("lastValue", lastValue)
                .setParameter("lastSource", lastSource)
                .setParameter("lastSamples", lastSamples)
                .setParameter("status", status)
                .setParameter("endedAt", endedAt == null ? null : endedAt.toString())
                .setParameter("event", event == null ? null : event.toString())
                .setParameter("note", note)
                .setParameter("tenant", tenant())
                .setParameter("id", id)
                .executeUpdate();
    }

    /** A deleted model's watches go with it. */
    public void deleteModel(String model) {
        em.createNativeQuery("delete from rollback_watch where tenant_id = :tenant and model = :model")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .executeUpdate();
    }

    private static WatchRow row(Object[] r) {
        return new WatchRow(
                uuid(r[0]),
                (String) r[1],
                (String) r[2],
                ((Number) r[3]).intValue(),
                uuid(r[4]),
                ((Number) r[5]).intValue(),
                ((Number) r[6]).intValue(),
                (String) r[7],
                ((Number) r[8]).doubleValue(),
                ((Number) r[9]).intValue(),
                ((Number) r[10]).intValue(),
                ((Number) r[11]).intValue(),
                instant(r[12]),
                (String) r[13],
                r[14] == null ? null : ((Number) r[14]).doubleValue(),
                (String) r[15],
                r[16] == null ? null : ((Number) r[16]).doubleValue(),
                (String) r[17],
                r[18] == null ? null : ((Number) r[18]).longValue(),
                uuid(r[19]),
                instant(r[20]),
                uuid(r[21]),
                (String) r[22]);
    }

    private static UUID uuid(Object value) {
        return value == null ? null : UUID.fromString(value.toString());
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case Timestamp t -> t.toInstant();
            case OffsetDateTime o -> o.toInstant();
            default -> throw new IllegalStateException("not a time: " + value.getClass());
        };
    }
}
