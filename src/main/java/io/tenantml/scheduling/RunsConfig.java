package io.tenantml.scheduling;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** The run ledger's dispatcher: slots per kind of work and per tenant, and how dead nodes are noticed. */
@ConfigMapping(prefix = "tenantml.runs")
public interface RunsConfig {

    /**
     * Runs of a kind that may execute at once on this node, by kind ({@link RunKind#configKey()}, e.g.
     * {@code tenantml.runs.node-slots.training=1}); a kind not listed gets {@link #defaultNodeSlots()}.
     * {@code application.properties} lists training and batch-prediction.
     */
    Map<String, Integer> nodeSlots();

    /** Node slots of a kind that {@link #nodeSlots()} does not list. */
    @WithDefault("1")
    int defaultNodeSlots();

    /**
     * Runs of a kind that one tenant may have running at once across the cluster, by kind (e.g.
     * {@code tenantml.runs.tenant-slots.training=2}); a kind not listed gets {@link #defaultTenantSlots()}. A run
     * beyond it stays queued, whatever slots are free. {@code application.properties} lists training and
     * batch-prediction.
     */
    Map<String, Integer> tenantSlots();

    /** Tenant slots of a kind that {@link #tenantSlots()} does not list. */
    @WithDefault("4")
    int defaultTenantSlots();

    /**
     * How often the dispatcher looks for queued runs when nothing woke it (it is woken at once by a run queued on
     * any node and by a run ending on this one).
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** How often a node confirms in the ledger that it still runs the runs it claimed. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /**
     * A running run whose node has not confirmed it for this long is taken as interrupted (its node died): it is
     * queued again once, or ends FAILED when it had been redone already. Several heartbeat intervals, so that a
     * busy node is not taken for dead.
     */
    @WithDefault("30s")
    Duration staleAfter();

    /**
     * How long an offboarding waits for the leaving tenant's running runs to stop (each stops at its next
     * checkpoint: a training's next boosting round, a batch's next chunk) before it deletes the tenant's rows and
     * files. A run whose node has not confirmed it for {@link #staleAfter()} is not waited for (its node died and
     * writes nothing more). When runs still run after this, the offboarding answers 409 and the tenant stays
     * leaving; offboarding it again finishes the work.
     */
    @WithDefault("2m")
    Duration offboardingWait();
}
