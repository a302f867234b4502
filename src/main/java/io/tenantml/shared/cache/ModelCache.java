package io.tenantml.shared.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A bounded cache of loaded models, least recently used first out, limited both by entry count and by
 * total weight (model bytes). Invariants:
 * <ul>
 *   <li>a key is loaded at most once at a time: concurrent callers for a cold key wait for the one load
 *       (single flight) instead of each reading the file;</li>
 *   <li>a value is closed exactly once, after it was evicted or invalidated <em>and</em> the last lease on
 *       it was released, so a prediction never runs on a freed native booster;</li>
 *   <li>the entry just loaded is never evicted by its own insertion (one model larger than the byte limit
 *       still serves, alone).</li>
 * </ul>
 * A hit takes no lock (a map read, a lease count CAS and a tick), because every prediction is a
 * hit and a shared lock turns into a convoy when many request threads share two cores. Loads, evictions
 * and invalidations are rare and serialise on one lock; eviction picks the entry with the oldest stamp.
 */
public final class ModelCache<K, V> {

    /** Loads a value; called outside the cache lock, once per cold key. */
    @FunctionalInterface
    public interface Loader<K, V> {
        V load(K key) throws Exception;
    }

    /** What the cache did, for metrics. Called outside the cache lock; must be cheap. */
    public interface Listener<K> {
        default void hit(K key) {}

        default void miss(K key) {}

        default void loaded(K key, long nanos) {}

        default void evicted(K key) {}
    }

    /** A value in use; release it (try-with-resources) so that an evicted value can be closed. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean released;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public V value() {
            return entry.value;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                release(entry);
            }
        }
    }

    /** Lease count of an entry whose value was closed: no lease can be taken on it any more. */
    private static final int CLOSED = -1;

    private final class Entry {
        final K key;
        final V value;
        final long weight;
        /** Leases held, or {@link #CLOSED}; the value is closed by whoever moves it from 0 to CLOSED. */
        final AtomicInteger leases = new AtomicInteger();
        /** No longer in the map (evicted or invalidated): the last release closes it. */
        volatile boolean removed;
        /** When it was last used (a tick of the cache's logical clock), for least-recently-used eviction. */
        volatile long lastUsed;

        Entry(K key, V value, long weight) {
            this.key = key;
            this.value = value;
            this.weight = weight;
        }

        boolean tryLease() {
            while (true) {
                int current = leases.get();
                if (current == CLOSED) {
                    return false;
                }
                if (leases.compareAndSet(current, current + 1)) {
                    lastUsed = ticks.incrementAndGet();
                    return true;
                }
            }
        }
    }

    private final int maxEntries;
    private final long maxWeight;
    private final ToLongFunction<V> weigher;
    private final Consumer<V> closer;
    private final Listener<K> listener;
    private final Object lock = new Object();
    /** A logical clock: exact recency order even for uses within the same nanosecond. */
    private final AtomicLong ticks = new AtomicLong();

    private final Map<K, Entry> entries = new ConcurrentHashMap<>();
    /** Guarded by {@link #lock}. */
    private final Map<K, CompletableFuture<Entry>> loading = new HashMap<>();
    /** Guarded by {@link #lock}. */
    private long weight;

    public ModelCache(
            int maxEntries, long maxWeight, ToLongFunction<V> weigher, Consumer<V> closer, Listener<K> listener) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        if (maxWeight < 1) {
            throw new IllegalArgumentException("maxWeight must be at least 1, was " + maxWeight);
        }
        this.maxEntries = maxEntries;
        this.maxWeight = maxWeight;
        this.weigher = Objects.requireNonNull(weigher, "weigher");
        this.closer = Objects.requireNonNull(closer, "closer");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Returns a lease on the value for {@code key}, loading it with {@code loader} when absent. A failed
     * load is reported to every caller waiting for it and is not cached.
     */
    public Lease acquire(K key, Loader<K, V> loader) throws Exception {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(loader, "loader");
        while (true) {
            Lease hit = acquireIfPresent(key);
            if (hit != null) {
                return hit;
            }
            CompletableFuture<Entry> pending;
            boolean mine = false;
            synchronized (lock) {
                if (entries.containsKey(key)) {
                    continue; // loaded meanwhile: take the lock-free path again
                }
                pending = loading.get(key);
                if (pending == null) {
                    pending = new CompletableFuture<>();
                    loading.put(key, pending);
                    mine = true;
                }
            }
            listener.miss(key);
            if (mine) {
                return load(key, loader, pending);
            }
            try {
                Entry loaded = pending.get();
                if (loaded.tryLease()) {
                    return new Lease(loaded);
                }
                // Evicted and closed between its load and our turn: try again (rare, bounded by contention).
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /** A lease on the value for {@code key} if it is loaded now, else null (and nothing is loaded). */
    public Lease acquireIfPresent(K key) {
        Entry cached = entries.get(Objects.requireNonNull(key, "key"));
        if (cached != null && cached.tryLease()) {
            listener.hit(key);
            return new Lease(cached);
        }
        return null;
    }

    private Lease load(K key, Loader<K, V> loader, CompletableFuture<Entry> pending) throws Exception {
        long started = System.nanoTime();
        V value;
        try {
            value = Objects.requireNonNull(loader.load(key), "loader returned null");
        } catch (Exception | Error e) {
            synchronized (lock) {
                loading.remove(key);
            }
            pending.completeExceptionally(e);
            throw e;
        }
        listener.loaded(key, System.nanoTime() - started);
        Entry entry = new Entry(key, value, Math.max(0, weigher.applyAsLong(value)));
        entry.leases.set(1);
        entry.lastUsed = ticks.incrementAndGet();
        List<Entry> evicted = new ArrayList<>();
        synchronized (lock) {
            loading.remove(key);
            entries.put(key, entry);
            weight += entry.weight;
            while (entries.size() > maxEntries || weight > maxWeight) {
                Entry victim = leastRecentlyUsedExcept(entry);
                if (victim == null) {
                    break;
                }
                entries.remove(victim.key);
                weight -= victim.weight;
                evicted.add(victim);
            }
        }
        pending.complete(entry);
        for (Entry victim : evicted) {
            listener.evicted(victim.key);
            detach(victim);
        }
        return new Lease(entry);
    }

    private Entry leastRecentlyUsedExcept(Entry keep) {
        Entry oldest = null;
        for (Entry e : entries.values()) {
            if (e != keep && (oldest == null || e.lastUsed < oldest.lastUsed)) {
                oldest = e;
            }
        }
        return oldest;
    }

    /** Drops every entry whose key matches (a tenant offboarded); values in use close when released. */
    public int invalidateIf(Predicate<K> matching) {
        List<Entry> removed = new ArrayList<>();
        synchronized (lock) {
            Iterator<Entry> it = entries.values().iterator();
            while (it.hasNext()) {
                Entry entry = it.next();
                if (matching.test(entry.key)) {
                    it.remove();
                    weight -= entry.weight;
                    removed.add(entry);
                }
            }
        }
        removed.forEach(this::detach);
        return removed.size();
    }

    public int size() {
        return entries.size();
    }

    public long weight() {
        synchronized (lock) {
            return weight;
        }
    }

    public boolean contains(K key) {
        return entries.containsKey(key);
    }

    public boolean containsIf(Predicate<K> matching) {
        return entries.keySet().stream().anyMatch(matching);
    }

    /** The entry left the map: close it now if unused, else its last release will. */
    private void detach(Entry entry) {
        entry.removed = true;
        if (entry.leases.compareAndSet(0, CLOSED)) {
            closer.accept(entry.value);
        }
    }

    private void release(Entry entry) {
        // The order matters: "removed" is written before detach's CAS and read after our decrement, so
        // either detach sees 0 and closes, or we see "removed" and close; the CAS lets only one of us.
        if (entry.leases.decrementAndGet() == 0 && entry.removed && entry.leases.compareAndSet(0, CLOSED)) {
            closer.accept(entry.value);
        }
    }
}
