package io.tenantml.scheduling;

import io.tenantml.shared.TenantId;
import java.util.UUID;

/** What a {@link RunHandler} knows of the run it executes, and how it reports back. */
public interface RunContext {

    UUID id();

    TenantId tenant();

    String subject();

    /** 1 on the first start; 2 when the run is redone because the node of the first attempt died. */
    int attempt();

    /**
     * Records progress (0..1) in its own short transaction, so that readers see it while the run goes on. Cheap
     * enough for every few hundred milliseconds, not for every row.
     */
    void progress(double fraction);

    /**
     * Commits {@code results} (the handler's writes of what the run produced) and the run's SUCCEEDED in one
     * transaction, so that no reader ever sees the run succeeded without its results, or the other way round.
     * Optional: a handler that returns without calling it succeeds all the same, in a transaction of its own.
     *
     * @throws java.util.concurrent.CancellationException when this node no longer owns the run (nothing is
     *     committed)
     */
    void succeed(Runnable results);

    /**
     * Whether the run should stop now: a cancellation was requested, or this node no longer owns the run (it was
     * taken as dead and handed to another). A handler polls this between units of work and then throws
     * {@link java.util.concurrent.CancellationException}.
     */
    boolean cancelled();
}
