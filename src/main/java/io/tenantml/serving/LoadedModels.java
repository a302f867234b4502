package io.tenantml.serving;

import io.tenantml.registry.LoadedModel;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.registry.VersionRef;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.cache.ModelCache;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.tenancy.TenantService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The process-wide cache of loaded model versions (see {@link ModelCache} for its invariants). A cold
 * version is loaded through the registry, which checks the file's SHA-256 before XGBoost reads it; every
 * loaded booster predicts with one thread, because one request already is one unit of parallelism.
 */
@ApplicationScoped
public class LoadedModels {

    @Inject
    ServingConfig config;

    @Inject
    ServingMetrics metrics;

    @Inject
    ModelRegistry registry;

    @Inject
    TenantContext tenantContext;

    @Inject
    ClusterEvents cluster;

    private final AtomicLong loads = new AtomicLong();
    private ModelCache<ModelKey, ServedModel> cache;

    @PostConstruct
    void init() {
        cache = new ModelCache<>(
                config.cache().maxModels(),
                config.cache().maxBytes(),
                ServedModel::bytes,
                ServedModel::close,
                new ModelCache.Listener<>() {
                    @Override
                    public void hit(ModelKey key) {
                        metrics.cacheHit(key.tenant().value(), key.model());
                    }

                    @Override
                    public void miss(ModelKey key) {
                        metrics.cacheMiss(key.tenant().value(), key.model());
                    }

                    @Override
                    public void loaded(ModelKey key, long nanos) {
                        loads.incrementAndGet();
                        metrics.cacheLoaded(key.tenant().value(), key.model(), nanos);
                    }

                    @Override
                    public void evicted(ModelKey key) {
                        metrics.cacheEvicted(key.tenant().value(), key.model());
                    }
                });
        // Every node, this one at the commit of the delete: a model cannot be reloaded for the tenant afterwards.
        cluster.subscribe(TenantService.TENANT_DELETED, tenant -> evict(new TenantId(tenant)));
        // A deleted model's versions can no longer be asked for (their ids are gone): free their memory now.
        cluster.subscribe(ModelRegistry.MODEL_DELETED, payload -> {
            int slash = payload.indexOf('/');
            TenantId tenant = new TenantId(payload.substring(0, slash));
            String model = payload.substring(slash + 1);
            cache.invalidateIf(key -> key.tenant().equals(tenant) && key.model().equals(model));
        });
        // A purged version cannot be loaded or asked for again (410): its memory is freed now, not at eviction.
        cluster.subscribe(ModelRegistry.MODEL_VERSION_PURGED, payload -> {
            String[] parts = payload.split("/", 3);
            TenantId tenant = new TenantId(parts[0]);
            int version = Integer.parseInt(parts[1]);
            String model = parts[2];
            cache.invalidateIf(
                    key -> key.tenant().equals(tenant) && key.model().equals(model) && key.version() == version);
        });
    }

    /**
     * A lease on a version of the current tenant's model; close it when the prediction is done.
     *
     * @throws io.tenantml.registry.TamperedModelException when the file does not match its registered hash
     */
    public ModelCache<ModelKey, ServedModel>.Lease acquire(String model, VersionRef ref) {
        int version = ref.version();
        ModelKey key = new ModelKey(tenantContext.require(), model, ref.version(), ref.id());
        try {
            // The loader runs on the calling thread, inside the caller's tenant context; it loads exactly the
            // row of the key (404 if the model was deleted meanwhile, even if recreated).
            return cache.acquire(key, k -> {
                LoadedModel loaded = registry.load(k.model(), new VersionRef(k.version(), k.versionId()));
                try {
                    loaded.booster().setParam("nthread", 1);
                } catch (XGBoostError e) {
                    loaded.close();
                    throw e;
                }
                return new ServedModel(loaded);
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "model '" + model + "' version " + version + " could not be loaded: " + e.getMessage(), e);
        }
    }

    /** A lease on a version of the current tenant's model if it is loaded, else null; never blocks. */
    public ModelCache<ModelKey, ServedModel>.Lease acquireIfLoaded(String model, VersionRef ref) {
        return cache.acquireIfPresent(new ModelKey(tenantContext.require(), model, ref.version(), ref.id()));
    }

    /** Models loaded since start (cold loads), for tests and diagnostics. */
    public long loads() {
        return loads.get();
    }

    /** Whether any incarnation of that version number of the tenant's model is loaded. */
    public boolean isLoaded(TenantId tenant, String model, int version) {
        return cache.containsIf(
                key -> key.tenant().equals(tenant) && key.model().equals(model) && key.version() == version);
    }

    public int size() {
        return cache.size();
    }

    /** Drops every loaded version of a tenant's models; those in use are closed when released. */
    public int evict(TenantId tenant) {
        return cache.invalidateIf(key -> key.tenant().equals(tenant));
    }
}
