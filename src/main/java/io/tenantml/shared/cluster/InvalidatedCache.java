package io.tenantml.shared.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A bounded read-through cache of database state that the owner invalidates through {@link ClusterEvents}.
 * It is exact, not merely "fresh for a while": entries are served while the event listener is live (and,
 * after it dropped, for the bounded {@link ClusterConfig#outageGrace} only: the documented limit on how
 * late another node's change is seen during an outage), only loads made while it is live are kept, and a
 * value loaded concurrently with an invalidation is never left behind (each invalidation bumps a
 * generation; a load that saw an older generation takes its value back out).
 */
public final class InvalidatedCache<K, V> {

    private final ClusterEvents events;
    private final Cache<K, V> cache;
    private final AtomicLong generation = new AtomicLong();

    public InvalidatedCache(ClusterEvents events, ClusterConfig config) {
        this(events, config, config.cacheMaxEntries());
    }

    /** A cache holding at most {@code maximumSize} entries (for values too large for the cluster-wide default). */
    public InvalidatedCache(ClusterEvents events, ClusterConfig config, long maximumSize) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be at least 1, was " + maximumSize);
        }
        this.events = Objects.requireNonNull(events, "events");
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(config.cacheTtl())
                .build();
        events.onResync(this::invalidateAll);
    }

    /** The cached value, or the loader's (cached unless null or the listener is not live). */
    public V get(K key, Function<? super K, ? extends V> loader) {
        if (events.trusted()) {
            V cached = cache.getIfPresent(key);
            if (cached != null) {
                return cached;
            }
        }
        boolean live = events.live();
        long seen = generation.get();
        V loaded = loader.apply(key);
        if (loaded != null && live && events.live()) {
            cache.put(key, loaded);
            if (generation.get() != seen) {
                // An invalidation ran while we loaded: what we read may predate it.
                cache.asMap().remove(key, loaded);
            }
        }
        return loaded;
    }

    /** The cached value, without loading; null when absent or when the cache may not be trusted. */
    public V getIfPresent(K key) {
        return events.trusted() ? cache.getIfPresent(key) : null;
    }

    /** Replaces a cached value, only if one is still cached (an invalidation wins). */
    public void refresh(K key, V value) {
        long seen = generation.get();
        cache.asMap().replace(key, value);
        if (generation.get() != seen) {
            cache.asMap().remove(key, value);
        }
    }

    public void invalidate(K key) {
        generation.incrementAndGet();
        cache.invalidate(key);
    }

    public void invalidateIf(Predicate<? super V> matching) {
        generation.incrementAndGet();
        cache.asMap().values().removeIf(matching);
    }

    public void invalidateKeysIf(Predicate<? super K> matching) {
        generation.incrementAndGet();
        cache.asMap().keySet().removeIf(matching);
    }

    public void invalidateAll() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }

    public long size() {
        return cache.estimatedSize();
    }
}
