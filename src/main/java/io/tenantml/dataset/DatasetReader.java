package io.tenantml.dataset;

import io.tenantml.statistics.TableSketch;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;

/**
 * Read access to the current tenant's dataset versions (the tenant comes from the
 * {@link io.tenantml.tenancy.TenantContext}; there is no parameter to name another one).
 */
public interface DatasetReader {

    /**
     * A version to read.
     *
     * @throws io.tenantml.shared.ProblemException 410 {@code dataset-version-purged} for a version whose rows were
     *     purged (its record remains, see {@link DatasetService#purgeRows})
     */
    Optional<DatasetVersionRef> version(String dataset, int version);

    Optional<DatasetVersionRef> latest(String dataset);

    /**
     * Holds the dataset's versions against a purge of their rows (and against a new version's commit) until the
     * caller's transaction ends, for a job queued in that transaction on a version it then reads: the purge,
     * which checks what still needs a version's rows ({@link DatasetVersionUse}) under the dataset's lock, then
     * either sees the job or committed before this returned, and the version then reads as purged (410) here
     * rather than in the job's run. Shared: jobs queued at once on one dataset do not wait for one another. Lock
     * order: before the job's own name lock and any quota lock (see {@code Quotas.requireRoomForOneMore}).
     */
    void holdAgainstPurge(String dataset);

    /**
     * Holds the dataset's {@link #schema} against a declaration until the caller's transaction ends, for a spec
     * validated against it and stored in that transaction: the declaration, which checks what reads the dataset
     * ({@link DatasetDependents}) under the dataset's lock, then either sees the stored spec or committed before
     * this returned, and the schema read after it is the declared one. Shared, like {@link #holdAgainstPurge}, and in
     * the same place of the lock order: before the spec's own name lock.
     */
    void holdSchema(String dataset);

    /** The dataset's current schema (declared, or frozen from its first version). */
    Optional<DatasetSchema> schema(String dataset);

    /**
     * Streams a version's rows in upload order with constant memory. The stored file's SHA-256 is checked
     * against the version record as it is read; a mismatch fails the read. 410 as {@link #version} for a version
     * whose rows were purged.
     */
    RowCursor open(String dataset, int version) throws IOException;

    /**
     * The mergeable column sketches the version's profile was computed from, by column name (see
     * {@link io.tenantml.statistics.ColumnSketch}); empty for an unknown version and for versions stored before
     * sketches were kept.
     */
    Optional<TableSketch> sketches(String dataset, int version);

    interface RowCursor extends Iterator<DatasetRow>, AutoCloseable {
        DatasetVersionRef version();

        @Override
        void close() throws IOException;
    }
}
