package io.tenantml.scheduling;

/**
 * The work of one {@link RunKind}: a CDI bean that the ledger finds at start. A feature registers its work by
 * implementing this and enqueueing runs with {@link RunLedger#enqueue}.
 *
 * <p>Lifecycle of a run:
 *
 * <ol>
 *   <li>{@link RunLedger#enqueue} inserts it QUEUED in the caller's transaction (with the feature's own row of the
 *       same id), so it exists and will run exactly when the caller commits.
 *   <li>The ledger's dispatcher of some node claims it when that node has a free slot of the kind and the tenant
 *       has not reached its slots of the kind, taking queued runs fairly across tenants; it becomes RUNNING,
 *       {@code attempts} counts up. No thread waits for a slot: unclaimed runs simply stay queued.
 *   <li>{@link #run} is called once on a worker thread of the kind, inside a {@link io.tenantml.tenancy.TenantScope}
 *       of the run's tenant, outside any transaction. It commits its own results in its own transactions.
 *   <li>Returning ends it SUCCEEDED (in the same transaction as its last writes when it hands them to
 *       {@link RunContext#succeed}); throwing {@link RunFailure} ends it FAILED with that code and message;
 *       {@link java.util.concurrent.CancellationException} ends it CANCELLED; anything else ends it FAILED with
 *       code {@code internal-error} and a message naming an incident id, the exception going to the log only.
 * </ol>
 *
 * <p>If the node dies during {@link #run}, the run is redone once, possibly on another node, with
 * {@link RunContext#attempt()} 2: a handler must therefore finish what a dead attempt already committed rather
 * than do it twice (key its results by the run id). A run whose second attempt dies too ends FAILED
 * ({@code interrupted}).
 */
public interface RunHandler {

    RunKind kind();

    void run(RunContext run) throws Exception;

    /**
     * Called when an attempt of the run ends FAILED (a {@link RunFailure} or an unexpected error), in the
     * run's tenant scope and inside the transaction that records FAILED: what it writes (an outbox event)
     * commits exactly when the failure does. Not called for a run failed by the dead-node sweep
     * ({@code interrupted}). Default: nothing.
     */
    default void failed(RunContext run, String code, String message) {}
}
