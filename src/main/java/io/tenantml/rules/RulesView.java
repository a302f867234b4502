package io.tenantml.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A model's monitoring rules, each with its state, and what the rules did lately.
 *
 * @param updatedAt when the rules were last put; absent when the model has none
 * @param recentFirings the latest 20 things the rules did, newest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RulesView(String model, Instant updatedAt, List<RuleView> rules, List<Firing> recentFirings) {

    /** One rule (defaults filled in) and its state machine. */
    public record RuleView(int position, Rule rule, RuleStateView state) {}

    /**
     * @param status {@code firing} (an episode is open) or {@code clear}
     * @param firingSince when the open episode started
     * @param streak windows in a row counted towards the next change of status
     * @param lastActionAt when the rule last acted (alert published, retrain decided)
     * @param retrainPending a retrain decided and not started yet
     * @param lastTraining the last training the rule started
     * @param note why the last retrain did not start, if it did not
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RuleStateView(
            String status,
            Instant firingSince,
            int streak,
            Instant lastActionAt,
            boolean retrainPending,
            UUID lastTraining,
            UUID lastRun,
            String note) {}

    /**
     * One thing a rule did: {@code fired}, {@code recovered}, {@code alert} (with its event), {@code retrain}
     * (with its training), {@code suppressed} (fired within the cooldown: no action).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Firing(
            UUID id, int position, String kind, Instant at, UUID run, UUID event, UUID training, String note) {}
}
