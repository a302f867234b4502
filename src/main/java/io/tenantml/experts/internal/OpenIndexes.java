package io.tenantml.experts.internal;

import io.tenantml.experts.ExpertsConfig;
import io.tenantml.experts.RankerKind;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.cache.ModelCache;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's open index generations, in the platform's one leased LRU cache ({@link ModelCache}: bounded by
 * count and bytes, single flight, a generation closed only after its last search released it). A generation
 * is fetched from the blob store on first use by any node and verified by its SHA-256. Generations are
 * immutable, so nothing needs invalidating except on retirement (the current one moved) and offboarding,
 * both announced to every node through {@link ClusterEvents}.
 */
@ApplicationScoped
public class OpenIndexes {

    /** Topic: a recommender's current generation moved; payload tenant|recommender|old build. */
    public static final String GENERATION_RETIRED = "experts-generation-retired";

    /** Key of an open generation: always carries the tenant. */
    public record Key(TenantId tenant, String recommender, UUID build) {}

    @Inject
    ExpertsConfig config;

    @Inject
    BlobStore blobs;

    @Inject
    ClusterEvents cluster;

    private final AtomicLong loads = new AtomicLong();
    private ModelCache<Key, Generation> cache;

    @PostConstruct
    void init() {
        cache = new ModelCache<>(
                config.maxOpenIndexes(),
                config.maxOpenBytes(),
                Generation::bytes,
                Generation::close,
                new ModelCache.Listener<>() {
                    @Override
                    public void loaded(Key key, long nanos) {
                        loads.incrementAndGet();
                    }
                });
        cluster.subscribe(TenantService.TENANT_DELETED, tenant -> evict(new TenantId(tenant)));
        cluster.subscribe(GENERATION_RETIRED, payload -> {
            String[] parts = payload.split("\\|", 3);
            if (parts.length == 3) {
                Key key = new Key(new TenantId(parts[0]), parts[1], UUID.fromString(parts[2]));
                cache.invalidateIf(key::equals);
            }
        });
    }

    /** A lease on a generation; the loader reads and verifies its files. Close the lease after searching. */
    public ModelCache<Key, Generation>.Lease acquire(
            Key key,
            String indexSha256,
            String rerankerSha256,
            RankerKind served,
            io.tenantml.experts.RankingSettings settings) {
        try {
            return cache.acquire(key, k -> {
                ExpertIndex index = IndexFiles.open(blobs, k.tenant(), k.recommender(), k.build(), indexSha256);
                Reranker reranker = null;
                if (served == RankerKind.RERANKED && rerankerSha256 != null) {
                    try (var in = blobs.openVerified(
                            k.tenant(), IndexFiles.rerankerKey(k.recommender(), k.build()), rerankerSha256)) {
                        reranker = Reranker.load(in.readAllBytes());
                    } catch (Exception e) {
                        index.close();
                        throw e;
                    }
                }
                return new Generation(k.build(), index, reranker, served, settings);
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "index generation " + key.build() + " could not be opened: " + e.getMessage(), e);
        }
    }

    public boolean isOpen(Key key) {
        return cache.contains(key);
    }

    public int evict(TenantId tenant) {
        return cache.invalidateIf(k -> k.tenant().equals(tenant));
    }

    public int evict(TenantId tenant, String recommender) {
        return cache.invalidateIf(
                k -> k.tenant().equals(tenant) && k.recommender().equals(recommender));
    }

    public long loads() {
        return loads.get();
    }

    public int size() {
        return cache.size();
    }

    public int openFor(TenantId tenant) {
        int[] n = {0};
        // contains() per key is not enumerable; count through invalidateIf's predicate without removing
        cache.invalidateIf(k -> {
            if (k.tenant().equals(tenant)) {
                n[0]++;
            }
            return false;
        });
        return n[0];
    }
}
