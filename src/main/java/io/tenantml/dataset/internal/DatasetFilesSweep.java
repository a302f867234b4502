package io.tenantml.dataset.internal;

import io.tenantml.dataset.DatasetConfig;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.database.NameLocks;
import io.tenantml.storage.AfterStartSweep;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.UnnamedFiles;
import io.tenantml.tenancy.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The dataset part of the sweep after start.
 *
 * <p>Rows and quarantine files no version refers to: what an upload whose node died between storing its files and
 * committing its version left (see {@code DatasetService.commit}), or a dataset delete that did not remove all its
 * files. They count against the tenant's {@code storedBytes} and nothing else removes them (a later upload of other
 * rows never does). A file is deleted only when judged unreferenced under the locks a version's commit takes and
 * stores its files under (the dataset's name lock, then its row), with the versions read under them, so a file
 * whose version is being committed, or whose content a commit has just found already stored, is never taken,
 * however long after the walk that listed it the judgement comes. The versions read first, without locks, only
 * spare files (those some version names then are not looked at again): most datasets have nothing to sweep and
 * are not locked at all.
 *
 * <p>Work files a crashed upload left in the spool directory ({@link DatasetConfig#staleSpoolAfter()}): older than
 * that before this node started, so none of this node's uploads, which all began after its start.
 */
@ApplicationScoped
class DatasetFilesSweep implements AfterStartSweep {

    private static final Logger LOG = Logger.getLogger(DatasetFilesSweep.class);

    @Inject
    DatasetStore store;

    @Inject
    BlobStore blobs;

    @Inject
    NameLocks nameLocks;

    @Inject
    TenantScope tenantScope;

    @Inject
    DatasetConfig config;

    @Override
    public int order() {
        return 100;
    }

    @Override
    public boolean sweepTenant(TenantId tenant, List<BlobKey> files) throws Exception {
        // datasets/<name>/rows/<sha>.bin.gz and datasets/<name>/quarantine/<sha>.ndjson.gz (upload)
        Map<String, List<BlobKey>> byDataset = UnnamedFiles.byOwner(
                files,
                path -> path.length == 4
                        && path[0].equals("datasets")
                        && (path[2].equals("rows") || path[2].equals("quarantine")));
        if (byDataset.isEmpty()) {
            return true;
        }
        tenantScope.callChecked(
                tenant,
                () -> UnnamedFiles.delete(
                        blobs,
                        tenant,
                        byDataset,
                        store::referencedBlobKeys,
                        dataset -> {
                            nameLocks.lock("dataset", tenant, dataset);
                            return store.lock(dataset)
                                    .map(d -> store.referencedBlobKeys(d.id))
                                    .orElse(Set.of());
                        },
                        "dataset files"));
        return true;
    }

    @Override
    public void sweepOutsideBlobs(Instant nodeStarted) throws IOException {
        Path dir = Spool.dir(config.spoolDir());
        int deleted = Spool.sweepStale(dir, nodeStarted.minus(config.staleSpoolAfter()));
        if (deleted > 0) {
            LOG.warnf("Deleted %d work files of crashed uploads from %s", deleted, dir);
        }
    }
}
