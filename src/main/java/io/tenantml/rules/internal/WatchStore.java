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
            "cast(id as text), model, alias, rule_key, position, cast(training_id as text), version,"
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
            String ruleKey,
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
            RuleStore.RuleRef rule,
            UUID training,
            int version,
            int previousVersion,
            String metric,
            double rollbackMargin,
            int minSamples,
            int windows,
            Instant now) {
        em.createNativeQuery("insert into rollback_watch (id, tenant_id, model, alias, rule_key, position, training_id,"
                        + " version, previous_version, metric, rollback_margin, min_samples, windows, started_at, status)"
                        + " values (:id, :tenant, :model, :alias, :key, :position, :training, :version, :previous,"
                        + " :metric, :margin, :minSamples, :windows, :now, 'watching')")
                .setParameter("id", id)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("alias", alias)
                .setParameter("key", rule.key())
                .setParameter("position", rule.position())
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

    /** Ends the model's watch in progress if the rule {@code key} started it (the rule was removed). */
    public void endActiveOfRule(String model, String key, String note, Instant now) {
        em.createNativeQuery("update rollback_watch set status = 'ended', note = :note, ended_at = :now"
                        + " where tenant_id = :tenant and model = :model and rule_key = :key and status = 'watching'")
                .setParameter("note", note)
                .setParameter("now", now)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("key", key)
                .executeUpdate();
    }

    /** The watches of a rule whose key changed (a PUT kept the rule) name it by its key now. */
    public void renameRule(String model, String key, String newKey) {
        em.createNativeQuery("update rollback_watch set rule_key = :newKey"
                        + " where tenant_id = :tenant and model = :model and rule_key = :key")
                .setParameter("newKey", newKey)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("key", key)
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
                (String) r[3],
                ((Number) r[4]).intValue(),
                uuid(r[5]),
                ((Number) r[6]).intValue(),
                ((Number) r[7]).intValue(),
                (String) r[8],
                ((Number) r[9]).doubleValue(),
                ((Number) r[10]).intValue(),
                ((Number) r[11]).intValue(),
                ((Number) r[12]).intValue(),
                instant(r[13]),
                (String) r[14],
                r[15] == null ? null : ((Number) r[15]).doubleValue(),
                (String) r[16],
                r[17] == null ? null : ((Number) r[17]).doubleValue(),
                (String) r[18],
                r[19] == null ? null : ((Number) r[19]).longValue(),
                uuid(r[20]),
                instant(r[21]),
                uuid(r[22]),
                (String) r[23]);
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
