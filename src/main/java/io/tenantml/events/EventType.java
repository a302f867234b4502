package io.tenantml.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What happened, by its wire name (Standard Webhooks' full-stop delimited {@code type}). */
public enum EventType {
    /** A training's version passed its gate (payload: model, training, version, promoted). */
    TRAINING_SUCCEEDED("training.succeeded"),
    /** A training's version was registered but refused by its gate (payload: model, training, version, reason). */
    TRAINING_REJECTED("training.rejected"),
    /** A training ended failed (payload: model, training, errorCode, error). */
    TRAINING_FAILED("training.failed"),
    /** An alias moved to a newer version, or was set (payload: model, alias, from, to, reason). */
    MODEL_PROMOTED("model.promoted"),
    /**
     * An alias moved back to an older version, by a person or by the watch of an automatic promotion (payload:
     * model, alias, from, to, reason, actor: {@code system:rollback-watch} for an automatic rollback).
     */
    MODEL_ROLLED_BACK("model.rolled_back"),
    /**
     * Emitted by a monitoring rule with action alert when it fires (payload: model, rule (its position), ruleKey,
     * ruleName (if named), signal, threshold or features, value, version, windowStart, run).
     */
    MONITORING_DRIFT("monitoring.drift"),
    MONITORING_SKEW("monitoring.skew"),
    /**
     * A rule with signal realisedPerformance or estimatedPerformance and action alert fired (payload: model, rule,
     * ruleKey, ruleName, signal, metric, floor and/or margin, value, version, windowStart, run), or the watch of an automatic
     * promotion rolled production back (payload: model, alias, signal promotionWatch, version, previousVersion,
     * metric, value, source, samples, baseline, baselineSource, rollbackMargin, rule, ruleKey, ruleName, rolledBack, run).
     */
    MONITORING_PERFORMANCE("monitoring.performance"),
    /** A rule's signal volumeZero fired: a window run read no logged prediction of the model. */
    MONITORING_VOLUME("monitoring.volume"),
    /** A rule that alerted has cleared (payload as its alert's, and firingSince). */
    MONITORING_RECOVERED("monitoring.recovered"),
    /** A plan limit refused a request (payload: limit, max, detail). */
    QUOTA_EXCEEDED("quota.exceeded"),
    /**
     * An API key with an end ends within the warning period (tenantml.security.key-expiry-warning, 7 days), so an
     * integration can get its new key in before the old one is refused; once per key (payload: key (its id),
     * name, role, prefix, expiresAt).
     */
    API_KEY_EXPIRING("api_key.expiring"),
    /** Sent to one endpoint on request, to check it receives and verifies; never subscribed to. */
    TEST("test");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether an endpoint may subscribe to it ({@link #TEST} goes only where it is asked for). */
    public boolean subscribable() {
        return this != TEST;
    }

    public static Optional<EventType> ofWire(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }

    @JsonCreator
    public static EventType fromWire(String wireName) {
        return ofWire(wireName)
                .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + wireName + "'"));
    }
}
