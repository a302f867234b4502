package io.tenantml.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A model's monitoring rules, each with its state, and what the rules did lately.
 *
 * @param updatedAt when the rules were last put; absent when the model has none
 * @param recentFirings the latest 20 things the rules did, newest first
 * @param watches the latest 5 watches of automatic promotions (see {@link Rule#watchWindows()}), newest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RulesView(
        String model, Instant updatedAt, List<RuleView> rules, List<Firing> recentFirings, List<Watch> watches) {

    /**
     * One rule (defaults filled in) and its state machine.
     *
     * @param position where the rule is in the list (presentation only: state follows {@code key})
     * @param key the rule's stable key, which its state, firings and watches are kept by: its name, or
     *     {@code sha256:} and 16 hex digits of its content when it has none ({@link RuleKeys})
     */
    public record RuleView(int position, String key, Rule rule, RuleStateView state) {}

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
            RuleStatus status,
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
     *
     * @param position where the rule is in the list now; absent when it has been removed since
     * @param ruleKey the rule's key
     * @param ruleName the rule's name, when it has one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Firing(
            UUID id,
            Integer position,
            String ruleKey,
            String ruleName,
            FiringKind kind,
            Instant at,
            UUID run,
            UUID event,
            UUID training,
            String note) {}

    /**
     * The watch of one automatic promotion.
     *
     * @param status {@code watching}, {@code passed} (held for all its windows), {@code rolled-back}, or
     *     {@code ended} (production moved otherwise: by hand, or another promotion; or nothing to compare with)
     * @param rule where the retrain rule whose training was promoted is in the list now; absent when it has been
     *     removed since (which ends a watch in progress)
     * @param ruleKey that rule's key
     * @param ruleName that rule's name, when it has one
     * @param version the promoted version watched
     * @param previousVersion the version production moves back to
     * @param counted window runs that could judge the version so far, of {@code windows}
     * @param baseline the previous version's figure of {@code metric}, from {@code baselineSource} ({@code realised}
     *     on its own predictions in the 7 days before the promotion, or {@code validation})
     * @param lastValue the watched version's latest figure since its promotion, from {@code lastSource}
     *     ({@code realised} or {@code estimated}) over {@code lastSamples} labels or predictions
     * @param event the {@code monitoring.performance} event of a rollback
     * @param note why it ended, or why the last run did not count
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Watch(
            UUID id,

            @Schema(
                    type = SchemaType.STRING,
                    enumeration = {"watching", "passed", "rolled-back", "ended"})
            String status,

            Integer rule,
            String ruleKey,
            String ruleName,
            UUID training,
            int version,
            int previousVersion,
            String metric,
            double rollbackMargin,
            int minSamples,
            int windows,
            int counted,
            Instant startedAt,
            Double baseline,

            @Schema(
                    type = SchemaType.STRING,
                    enumeration = {"realised", "validation"})
            String baselineSource,

            Double lastValue,

            @Schema(
                    type = SchemaType.STRING,
                    enumeration = {"realised", "estimated"})
            String lastSource,

            Long lastSamples,
            UUID lastRun,
            Instant endedAt,
            UUID event,
            String note) {}
}
