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
     * Whether the run should stop now: a cancellation was requested, or this node no longer owns the run (it was
     * taken as dead and handed to another). A handler polls this between units of work and then throws
     * {@link java.util.concurrent.CancellationException}.
     */
    boolean cancelled();
}
