package io.tenantml.training.internal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.database.NameLocks;
import io.tenantml.storage.AfterStartSweep;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

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

    private static final Logger LOG = Logger.getLogger(ModelFilesSweep.class);

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
        Map<String, List<BlobKey>> byModel = new TreeMap<>();
        for (BlobKey key : files) {
            // models/<model>/training-<id>.ubj (ModelRegistry.register)
            String[] parts = key.path().split("/");
            if (parts.length == 3 && parts[0].equals("models")) {
                byModel.computeIfAbsent(parts[1], n -> new ArrayList<>()).add(key);
            }
        }
        if (byModel.isEmpty()) {
            return true;
        }
        int deleted = tenantScope.callChecked(tenant, () -> sweep(tenant, byModel));
        if (deleted > 0) {
            LOG.warnf("Deleted %d model files of tenant %s that no version with a file names", deleted, tenant);
        }
        return true;
    }

    private int sweep(TenantId tenant, Map<String, List<BlobKey>> byModel) {
        // read without the lock first, for the whole tenant: most models have nothing to sweep and are not locked
        Set<String> named = QuarkusTransaction.requiringNew().call(() -> registry.filesOfVersions());
        int deleted = 0;
        for (Map.Entry<String, List<BlobKey>> files : byModel.entrySet()) {
            String model = files.getKey();
            try {
                List<BlobKey> candidates = files.getValue().stream()
                        .filter(k -> !named.contains(k.path()))
                        .toList();
                if (candidates.isEmpty()) {
                    continue;
                }
                deleted += QuarkusTransaction.requiringNew().call(() -> {
                    nameLocks.lock("model-spec", tenant, model);
                    Set<String> now = registry.filesOfVersions(model);
                    int n = 0;
                    for (BlobKey key : candidates) {
                        if (!now.contains(key.path()) && delete(tenant, key)) {
                            n++;
                        }
                    }
                    return n;
                });
            } catch (RuntimeException e) {
                // one model's failure does not spare the tenant's other models
                LOG.errorf(e, "Could not sweep files of model %s of tenant %s", model, tenant);
            }
        }
        return deleted;
    }

    private boolean delete(TenantId tenant, BlobKey key) {
        try {
            return blobs.delete(tenant, key);
        } catch (IOException e) {
            LOG.warnf(e, "Could not delete model file %s of tenant %s that no version names", key, tenant);
            return false;
        }
    }
}
