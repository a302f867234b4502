package io.tenantml.rules.internal;

import io.tenantml.rules.RuleMachine;
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

/** The rule tables; every statement names the tenant in context. Callers hold the transaction. */
@ApplicationScoped
public class RuleStore {

    @Inject
    EntityManager em;

    @Inject
    TenantContext tenantContext;

    public record RuleSet(String json, Instant updatedAt) {}

    /** A rule's stored state: {@code key} the rule's stable key, {@code position} where it is in the list now. */
    public record StateRow(
            String key,
            int position,
            RuleMachine.State machine,
            UUID lastRun,
            boolean retrainPending,
            UUID lastTraining,
            String note) {}

    /** One thing a rule did, by the rule's key and its position when it did it. */
    public record FiringRow(
            UUID id,
            String key,
            int position,
            String kind,
            Instant at,
            UUID run,
            UUID event,
            UUID training,
            String note) {}

    /** A rule by its key and its position now. */
    public record RuleRef(String key, int position) {}

    private String tenant() {
        return tenantContext.require().value();
    }

    /** Writes the model's rules (null: it has none; its states must be gone first). */
    public void writeSet(String model, String json, Instant now) {
        if (json == null) {
            em.createNativeQuery("delete from monitoring_rule_set where tenant_id = :tenant and model = :model")
                    .setParameter("tenant", tenant())
                    .setParameter("model", model)
                    .executeUpdate();
            return;
        }
        em.createNativeQuery("insert into monitoring_rule_set (tenant_id, model, rules, updated_at) "
                        + "values (:tenant, :model, cast(:rules as jsonb), :now) on conflict (tenant_id, model) "
                        + "do update set rules = excluded.rules, updated_at = excluded.updated_at")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("rules", json)
                .setParameter("now", now)
                .executeUpdate();
    }

    /** A new rule's state: clear. */
    public void insertState(String model, String key, int position) {
        em.createNativeQuery("insert into monitoring_rule_state (tenant_id, model, rule_key, position) "
                        + "values (:tenant, :model, :key, :position)")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("key", key)
                .setParameter("position", position)
                .executeUpdate();
    }

    /** A removed rule's state goes (its firings stay: they are what happened). */
    public void deleteState(String model, String key) {
        em.createNativeQuery("delete from monitoring_rule_state where tenant_id = :tenant and model = :model "
                        + "and rule_key = :key")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("key", key)
                .executeUpdate();
    }

    /**
     * A rule kept by a PUT: its state moves to its key and position now. {@code clearEpisode}: the episode and
     * streak start afresh (its signal changed); {@code mayRetrain}: false drops a pending retrain (it no longer
     * retrains). The cooldown clock, the last training, the last run and the note stay; so do its firings, which
     * take its key now if it changed.
     */
    public void keep(String model, String key, String newKey, int position, boolean clearEpisode, boolean mayRetrain) {
        em.createNativeQuery("update monitoring_rule_state set rule_key = :newKey, position = :position, "
                        + "firing = firing and not :clear, streak = case when :clear then 0 else streak end, "
                        + "firing_since = case when :clear then null else firing_since end, "
                        + "retrain_pending = retrain_pending and :mayRetrain "
                        + "where tenant_id = :tenant and model = :model and rule_key = :key")
                .setParameter("newKey", newKey)
                .setParameter("position", position)
                .setParameter("clear", clearEpisode)
                .setParameter("mayRetrain", mayRetrain)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("key", key)
                .executeUpdate();
        if (!key.equals(newKey)) {
            em.createNativeQuery("update monitoring_rule_firing set rule_key = :newKey where tenant_id = :tenant "
                            + "and model = :model and rule_key = :key")
                    .setParameter("newKey", newKey)
                    .setParameter("tenant", tenant())
                    .setParameter("model", model)
                    .setParameter("key", key)
                    .executeUpdate();
        }
    }

    public Optional<RuleSet> rules(String model) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select cast(rules as text), updated_at from monitoring_rule_set "
                        + "where tenant_id = :tenant and model = :model")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .getResultList();
        return rows.stream().findFirst().map(r -> new RuleSet((String) r[0], instant(r[1])));
    }

    /**
     * The model's rule states by position; {@code lock}: for update, in position order (a PUT and a window run's
     * evaluation both lock them first, so one waits for the other and then reads the rules the other left).
     */
    public List<StateRow> states(String model, boolean lock) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select rule_key, position, firing, streak, firing_since, "
                        + "last_action_at, cast(last_run as text), retrain_pending, cast(last_training as text), "
                        + "last_note from monitoring_rule_state where tenant_id = :tenant and model = :model "
                        + "order by position"
                        + (lock ? " for update" : ""))
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .getResultList();
        return rows.stream()
                .map(r -> new StateRow(
                        (String) r[0],
                        ((Number) r[1]).intValue(),
                        new RuleMachine.State((Boolean) r[2], ((Number) r[3]).intValue(), instant(r[4]), instant(r[5])),
                        uuid(r[6]),
                        (Boolean) r[7],
                        uuid(r[8]),
                        (String) r[9]))
                .toList();
    }

    public void update(String model, String key, RuleMachine.State s, UUID run, boolean retrainPending) {
        em.createNativeQuery("update monitoring_rule_state set firing = :firing, streak = :streak, "
                        + "firing_since = cast(:since as timestamptz), last_action_at = cast(:acted as timestamptz), "
                        + "last_run = cast(:run as uuid), retrain_pending = retrain_pending or :pending "
                        + "where tenant_id = :tenant and model = :model and rule_key = :key")
                .setParameter("firing", s.firing())
                .setParameter("streak", s.streak())
                .setParameter("since", text(s.firingSince()))
                .setParameter("acted", text(s.lastActionAt()))
                .setParameter("run", run.toString())
                .setParameter("pending", retrainPending)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("key", key)
                .executeUpdate();
    }

    /** Keys of the rules whose retrain is decided and not started. */
    public List<String> pendingRetrains(String model) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select rule_key from monitoring_rule_state where tenant_id = :tenant "
                        + "and model = :model and retrain_pending order by position")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .getResultList();
        return rows;
    }

    /**
     * Takes a pending retrain (row locked until the caller's commit): the rule's position now; empty when another
     * took it first, or the rule was removed meanwhile.
     */
    public Optional<Integer> claimRetrain(String model, String key) {
        int claimed = em.createNativeQuery("update monitoring_rule_state set retrain_pending = false "
                        + "where tenant_id = :tenant and model = :model and rule_key = :key and retrain_pending")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("key", key)
                .executeUpdate();
        if (claimed != 1) {
            return Optional.empty();
        }
        return position(model, key);
    }

    public void retrainOutcome(String model, String key, UUID training, String note) {
        em.createNativeQuery("update monitoring_rule_state set retrain_pending = false, "
                        + "last_training = coalesce(cast(:training as uuid), last_training), last_note = :note "
                        + "where tenant_id = :tenant and model = :model and rule_key = :key")
                .setParameter("training", training == null ? null : training.toString())
                .setParameter("note", note)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("key", key)
                .executeUpdate();
    }

    /** The rule whose retrain started {@code training}, while the rule's state remembers it. */
    public Optional<RuleRef> ruleOfTraining(String model, UUID training) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select rule_key, position from monitoring_rule_state "
                        + "where tenant_id = :tenant and model = :model and last_training = :training")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("training", training)
                .getResultList();
        return rows.stream().findFirst().map(r -> new RuleRef((String) r[0], ((Number) r[1]).intValue()));
    }

    /** Where the rule {@code key} is in the model's list now. */
    public Optional<Integer> position(String model, String key) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("select position from monitoring_rule_state where tenant_id = :tenant "
                        + "and model = :model and rule_key = :key")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("key", key)
                .getResultList();
        return rows.stream().findFirst().map(Number::intValue);
    }

    public void firing(
            UUID id,
            String model,
            RuleRef rule,
            UUID run,
            String kind,
            Instant at,
            UUID event,
            UUID training,
            String note) {
        em.createNativeQuery("insert into monitoring_rule_firing (id, tenant_id, model, rule_key, position, run_id, "
                        + "kind, at, event_id, training_id, note) values (:id, :tenant, :model, :key, :position, :run, "
                        + ":kind, :at, cast(:event as uuid), cast(:training as uuid), :note)")
                .setParameter("id", id)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("key", rule.key())
                .setParameter("position", rule.position())
                .setParameter("run", run)
                .setParameter("kind", kind)
                .setParameter("at", at)
                .setParameter("event", event == null ? null : event.toString())
                .setParameter("training", training == null ? null : training.toString())
                .setParameter("note", note)
                .executeUpdate();
    }

    public List<FiringRow> recentFirings(String model, int limit) {
        return firings(model, null, null, limit);
    }

    /**
     * The model's firings newest first (then by id), after the given key when there is one, at most {@code limit}:
     * keyset paging on (at, id), served by {@code monitoring_rule_firing_model}.
     */
    public List<FiringRow> firings(String model, Instant afterAt, UUID afterId, int limit) {
        String keyset =
                afterAt == null ? "" : "and (at, id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid)) ";
        jakarta.persistence.Query query = em.createNativeQuery("select cast(id as text), rule_key, position, kind, at, "
                        + "cast(run_id as text), cast(event_id as text), cast(training_id as text), note "
                        + "from monitoring_rule_firing where tenant_id = :tenant and model = :model "
                        + keyset + "order by at desc, id desc limit :limit")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("limit", limit);
        if (afterAt != null) {
            query.setParameter("afterAt", afterAt.toString()).setParameter("afterId", afterId.toString());
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream()
                .map(r -> new FiringRow(
                        uuid(r[0]),
                        (String) r[1],
                        ((Number) r[2]).intValue(),
                        (String) r[3],
                        instant(r[4]),
                        uuid(r[5]),
                        uuid(r[6]),
                        uuid(r[7]),
                        (String) r[8]))
                .toList();
    }

    /** A deleted model's rules and firings go with it. */
    public void deleteModel(String model) {
        for (String table : List.of("monitoring_rule_firing", "monitoring_rule_set")) {
            em.createNativeQuery("delete from " + table + " where tenant_id = :tenant and model = :model")
                    .setParameter("tenant", tenant())
                    .setParameter("model", model)
                    .executeUpdate();
        }
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    private static UUID uuid(Object value) {
        return value == null ? null : UUID.fromString(value.toString());
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
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("not a time: " + value.getClass());
    }
}
