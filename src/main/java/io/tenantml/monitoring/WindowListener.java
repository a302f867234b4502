package io.tenantml.monitoring;

import java.util.Optional;
import java.util.UUID;

/**
 * Told of every monitoring window run that succeeds, so that a feature above monitoring (the rules) can act on
 * the judged window without monitoring depending on it. Lifecycle: one application-scoped bean per
 * implementation; {@link #judged} runs inside the transaction that marks the run succeeded, in the run's tenant
 * scope (what it writes commits with the run or not at all; it must not throw for ordinary outcomes, as that
 * fails the run); {@link #committed} runs after that commit, outside a transaction, and may be lost if the node
 * dies in between (so work left for it must be recorded by {@link #judged} and be safe to redo).
 */
public interface WindowListener {

    /**
     * @param model the model the run profiled
     * @param run the window run's id (evaluations are idempotent per run id)
     * @param recordsRead logged predictions the run read (0: the model received no traffic since the last run)
     * @param latest the model's latest hourly window, judged; empty when it has none
     */
    void judged(String model, UUID run, long recordsRead, Optional<MonitoringWindow> latest);

    /** After the run's SUCCEEDED committed; default: nothing. */
    default void committed(String model, UUID run) {}
}
