package io.tenantml.rules.internal;

import io.tenantml.rules.RuleMachine;
import io.tenantml.rules.RulesView;
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

    /** A rule's stored state. */
    public record StateRow(
            int position,
            RuleMachine.State machine,
            UUID lastRun,
            boolean retrainPending,
            UUID lastTraining,
            String note) {}

    private String tenant() {
        return tenantContext.require().value();
    }

    /** Replaces the model's rules and starts every rule's state afresh (positions 0..count-1). */
    public void replace(String model, String json, int count, Instant now) {
        em.createNativeQuery("delete from monitoring_rule_set where tenant_id = :tenant and model = :model")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .executeUpdate();
        if (count == 0) {
            return;
        }
        em.createNativeQuery("insert into monitoring_rule_set (tenant_id, model, rules, updated_at) "
                        + "values (:tenant, :model, cast(:rules as jsonb), :now)")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("rules", json)
                .setParameter("now", now)
                .executeUpdate();
        em.createNativeQuery("insert into monitoring_rule_state (tenant_id, model, position) "
                        + "select :tenant, :model, p from generate_series(0, :last) p")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("last", count - 1)
                .executeUpdate();
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

    /** The model's rule states by position; {@code lock}: for update (one evaluation at a time). */
    public List<StateRow> states(String model, boolean lock) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select position, firing, streak, firing_since, last_action_at, "
                        + "cast(last_run as text), retrain_pending, cast(last_training as text), last_note "
                        + "from monitoring_rule_state where tenant_id = :tenant and model = :model order by position"
                        + (lock ? " for update" : ""))
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .getResultList();
        return rows.stream()
                .map(r -> new StateRow(
                        ((Number) r[0]).intValue(),
                        new RuleMachine.State((Boolean) r[1], ((Number) r[2]).intValue(), instant(r[3]), instant(r[4])),
                        uuid(r[5]),
                        (Boolean) r[6],
                        uuid(r[7]),
                        (String) r[8]))
                .toList();
    }

    public void update(String model, int position, RuleMachine.State s, UUID run, boolean retrainPending) {
        em.createNativeQuery("update monitoring_rule_state set firing = :firing, streak = :streak, "
                        + "firing_since = cast(:since as timestamptz), last_action_at = cast(:acted as timestamptz), "
                        + "last_run = cast(:run as uuid), retrain_pending = retrain_pending or :pending "
                        + "where tenant_id = :tenant and model = :model and position = :position")
                .setParameter("firing", s.firing())
                .setParameter("streak", s.streak())
                .setParameter("since", text(s.firingSince()))
                .setParameter("acted", text(s.lastActionAt()))
                .setParameter("run", run.toString())
                .setParameter("pending", retrainPending)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("position", position)
                .executeUpdate();
    }

    /** Positions whose retrain is decided and not started. */
    public List<Integer> pendingRetrains(String model) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("select position from monitoring_rule_state where tenant_id = :tenant "
                        + "and model = :model and retrain_pending order by position")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .getResultList();
        return rows.stream().map(Number::intValue).toList();
    }

    /** Takes a pending retrain (row locked until the caller's commit); false when another took it first. */
    public boolean claimRetrain(String model, int position) {
        return em.createNativeQuery("update monitoring_rule_state set retrain_pending = false "
                                + "where tenant_id = :tenant and model = :model and position = :position "
                                + "and retrain_pending")
                        .setParameter("tenant", tenant())
                        .setParameter("model", model)
                        .setParameter("position", position)
                        .executeUpdate()
                == 1;
    }

    public void retrainOutcome(String model, int position, UUID training, String note) {
        em.createNativeQuery("update monitoring_rule_state set retrain_pending = false, "
                        + "last_training = coalesce(cast(:training as uuid), last_training), last_note = :note "
                        + "where tenant_id = :tenant and model = :model and position = :position")
                .setParameter("training", training == null ? null : training.toString())
                .setParameter("note", note)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("position", position)
                .executeUpdate();
    }

    /** The position of the rule whose retrain started {@code training}, while the rule's state remembers it. */
    public Optional<Integer> positionOfTraining(String model, UUID training) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("select position from monitoring_rule_state where tenant_id = :tenant "
                        + "and model = :model and last_training = :training")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("training", training)
                .getResultList();
        return rows.stream().findFirst().map(Number::intValue);
    }

    public void firing(
            UUID id,
            String model,
            int position,
            UUID run,
            String kind,
            Instant at,
            UUID event,
            UUID training,
            String note) {
        em.createNativeQuery("insert into monitoring_rule_firing (id, tenant_id, model, position, run_id, kind, at, "
                        + "event_id, training_id, note) values (:id, :tenant, :model, :position, :run, :kind, :at, "
                        + "cast(:event as uuid), cast(:training as uuid), :note)")
                .setParameter("id", id)
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("position", position)
                .setParameter("run", run)
                .setParameter("kind", kind)
                .setParameter("at", at)
                .setParameter("event", event == null ? null : event.toString())
                .setParameter("training", training == null ? null : training.toString())
                .setParameter("note", note)
                .executeUpdate();
    }

    public List<RulesView.Firing> recentFirings(String model, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select cast(id as text), position, kind, at, cast(run_id as text), "
                        + "cast(event_id as text), cast(training_id as text), note from monitoring_rule_firing "
                        + "where tenant_id = :tenant and model = :model order by at desc, id desc limit :limit")
                .setParameter("tenant", tenant())
                .setParameter("model", model)
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream()
                .map(r -> new RulesView.Firing(
                        uuid(r[0]),
                        ((Number) r[1]).intValue(),
                        (String) r[2],
                        instant(r[3]),
                        uuid(r[4]),
                        uuid(r[5]),
                        uuid(r[6]),
                        (String) r[7]))
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
