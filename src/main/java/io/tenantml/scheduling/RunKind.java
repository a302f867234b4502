package io.tenantml.scheduling;

import java.util.Locale;

/**
 * What a run does; each kind has one {@link RunHandler}, its own node slots and its own fair queue. Stored by
 * name in {@code run.kind}, which has no check constraint: a new kind is a constant here plus a handler, never a
 * schema change. A node that has no handler for a kind never takes runs of it.
 */
public enum RunKind {
    TRAINING,
    BATCH_PREDICTION,
    /** Expert recommender index builds (issue 13). */
    INDEX_BUILD,
    /** Drift monitoring windows (issue 11). */
    MONITORING_WINDOW;

    /** The key of this kind in configuration, e.g. {@code tenantml.runs.node-slots.batch-prediction}. */
    public String configKey() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
