package io.tenantml.storage;

import io.tenantml.shared.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * A feature's part of the sweep every node runs once after it starts ({@link StartupSweeps}), in the background,
 * while it already serves requests: removing what a node that died, or a step that failed half-way, left in the
 * tenants' files. Each part must stay safe with requests running beside it: it deletes only what it has judged,
 * under the locks or age limits its feature's writes respect, to be no running request's.
 */
public interface AfterStartSweep {

    /** Parts run in this order for each tenant, lowest first. */
    int order();

    /**
     * Judges one tenant's committed files (sorted keys, as one walk found them moments ago: files may have come or
     * gone since). Returns false when the tenant's files are gone, so later parts skip it. A failure is logged and
     * the sweep goes on with the next part and tenant.
     */
    boolean sweepTenant(TenantId tenant, List<BlobKey> files) throws Exception;

    /**
     * Sweeps what the feature keeps outside the blob store (an upload spool), once, after every tenant.
     * {@code nodeStarted}: when this node started; anything this node wrote is younger.
     */
    default void sweepOutsideBlobs(Instant nodeStarted) throws Exception {}
}
