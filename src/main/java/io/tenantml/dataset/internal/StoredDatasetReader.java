package io.tenantml.dataset.internal;

import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.DatasetVersionRef;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.VersionPurge;
import io.tenantml.shared.database.NameLocks;
import io.tenantml.statistics.TableSketch;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;
import java.util.Optional;

/** {@link DatasetReader} over the stored rows files; reads are verified against the recorded SHA-256. */
@ApplicationScoped
public class StoredDatasetReader implements DatasetReader {

    @Inject
    DatasetStore store;

    @Inject
    BlobStore blobs;

    @Inject
    TenantContext tenantContext;

    @Inject
    StoredJson json;

    @Inject
    NameLocks nameLocks;

    /** The shared side of the lock every purge and version commit of the dataset takes ({@code DatasetService}). */
    @Override
    public void holdAgainstPurge(String dataset) {
        nameLocks.lockShared("dataset", tenantContext.require(), dataset);
    }

    /** The same shared lock: a declaration takes the dataset's lock as a purge does. */
    @Override
    public void holdSchema(String dataset) {
        holdAgainstPurge(dataset);
    }

    /** @throws io.tenantml.shared.ProblemException 410 for a version whose rows were purged */
    @Override
    public Optional<DatasetVersionRef> version(String dataset, int version) {
        return store.dataset(dataset)
                .flatMap(d -> store.version(d.id, version))
                .map(v -> ref(dataset, withRows(dataset, v)));
    }

    @Override
    public Optional<DatasetVersionRef> latest(String dataset) {
        return store.dataset(dataset).flatMap(d -> store.latest(d.id)).map(v -> ref(dataset, v));
    }

    private static DatasetVersionEntity withRows(String dataset, DatasetVersionEntity v) {
        if (v.purgedAt != null) {
            throw purged(dataset, v);
        }
        return v;
    }

    /** What reading a purged version's rows answers, from the API and from this reader. */
    public static io.tenantml.shared.ProblemException purged(String name, DatasetVersionEntity v) {
        return VersionPurge.gone(
                "dataset-version-purged",
                "dataset",
                name,
                v.version,
                v.purgedAt,
                "the rows of version " + v.version + " of dataset '" + name + "' were purged at " + v.purgedAt + " ("
                        + v.purgeReason + "); its record, hashes and profile remain");
    }

    @Override
    public Optional<DatasetSchema> schema(String dataset) {
        return store.dataset(dataset).map(d -> json.read(d.schemaJson, DatasetSchema.class));
    }

    @Override
    public RowCursor open(String dataset, int version) throws IOException {
        DatasetVersionEntity v = store.dataset(dataset)
                .flatMap(d -> store.version(d.id, version))
                .orElseThrow(
                        () -> new NoSuchElementException("no version " + version + " of dataset '" + dataset + "'"));
        DatasetVersionRef ref = ref(dataset, withRows(dataset, v));
        TenantId tenant = tenantContext.require();
        InputStream in = blobs.openVerified(tenant, new BlobKey(v.blobKey), v.sha256);
        RowCodec.Reader reader;
        try {
            reader = new RowCodec.Reader(in);
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new Cursor(ref, reader);
    }

    @Override
    public Optional<TableSketch> sketches(String dataset, int version) {
        return store.dataset(dataset)
                .flatMap(d -> store.version(d.id, version))
                .flatMap(v -> store.sketches(v.id))
                .map(TableSketch::fromBytes);
    }

    private DatasetVersionRef ref(String dataset, DatasetVersionEntity v) {
        return new DatasetVersionRef(
                dataset, v.version, v.sha256, v.rowCount, v.createdAt, json.read(v.schemaJson, DatasetSchema.class));
    }

    private static final class Cursor implements RowCursor {
        private final DatasetVersionRef ref;
        private final RowCodec.Reader reader;
        private DatasetRow next;
        private boolean done;

        Cursor(DatasetVersionRef ref, RowCodec.Reader reader) {
            this.ref = ref;
            this.reader = reader;
        }

        @Override
        public DatasetVersionRef version() {
            return ref;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    next = reader.next();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                done = next == null;
            }
            return next != null;
        }

        @Override
        public DatasetRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            DatasetRow row = next;
            next = null;
            return row;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
