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
