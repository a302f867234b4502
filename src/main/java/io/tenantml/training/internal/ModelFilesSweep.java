package io.tenantml.training.internal;

import io.tenantml.registry.ModelRegistry;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.database.NameLocks;
import io.tenantml.storage.AfterStartSweep;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.UnnamedFiles;
import io.tenantml.tenancy.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * The model part of the sweep after start: model files no version with a file names. A training whose node died
 * after storing its file and before committing its version, and never redone, left one; so does a purge or a model
 * delete whose node died after the commit and before the file went. A file is judged under the lock a training's
 * registration holds while it stores the file and inserts the version ({@code "model-spec"}, see
 * {@code ModelSpecService.holdForTraining}), with the versions read under it, so a registration in progress is never
 * taken. Lives in training, which owns that lock; the registry says which files its versions name.
 */
@ApplicationScoped
class ModelFilesSweep implements AfterStartSweep {

    @Inject
    ModelRegistry registry;

    @Inject
    BlobStore blobs;

    @Inject
    NameLocks nameLocks;

    @Inject
    TenantScope tenantScope;

    @Override
    public int order() {
        return 110;
    }

    @Override
    public boolean sweepTenant(TenantId tenant, List<BlobKey> files) throws Exception {
        // models/<model>/training-<id>.ubj (ModelRegistry.register)
        Map<String, List<BlobKey>> byModel =
                UnnamedFiles.byOwner(files, path -> path.length == 3 && path[0].equals("models"));
        if (byModel.isEmpty()) {
            return true;
        }
        tenantScope.callChecked(
                tenant,
                () -> UnnamedFiles.delete(
                        blobs,
                        tenant,
                        byModel,
                        registry::filesOfVersions,
                        model -> {
                            nameLocks.lock("model-spec", tenant, model);
                            return registry.filesOfVersions(model);
                        },
                        "model files"));
        return true;
    }
}
