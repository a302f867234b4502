package io.tenantml.serving.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
 */
public final class ModelCache<K, V> {

    /** Loads a value; called outside the cache lock, once per cold key. */
    @FunctionalInterface
    public interface Loader<K, V> {
        V load(K key) throws Exception;
    }

    /** What the cache did, for metrics. Called outside hot locks where it matters; must be cheap. */
    public interface Listener<K> {
        default void hit(K key) {
        }

        default void miss(K key) {
        }

        default void loaded(K key, long nanos) {
        }

        default void evicted(K key) {
        }
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

    private final class Entry {
        final K key;
        final V value;
        final long weight;
        int leases;
        boolean removed;
        boolean closed;

        Entry(K key, V value, long weight) {
            this.key = key;
            this.value = value;
            this.weight = weight;
        }
    }

    private final int maxEntries;
    private final long maxWeight;
    private final ToLongFunction<V> weigher;
    private final Consumer<V> closer;
    private final Listener<K> listener;
    private final Object lock = new Object();
    private final LinkedHashMap<K, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<K, CompletableFuture<Entry>> loading = new java.util.HashMap<>();
    private long weight;

    public ModelCache(int maxEntries, long maxWeight, ToLongFunction<V> weigher, Consumer<V> closer,
                      Listener<K> listener) {
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
            CompletableFuture<Entry> pending;
            boolean mine = false;
            synchronized (lock) {
                Entry entry = entries.get(key);
                if (entry != null) {
                    entry.leases++;
                    listener.hit(key);
                    return new Lease(entry);
                }
                listener.miss(key);
                pending = loading.get(key);
                if (pending == null) {
                    pending = new CompletableFuture<>();
                    loading.put(key, pending);
                    mine = true;
                }
            }
            if (mine) {
                return load(key, loader, pending);
            }
            try {
                Entry loaded = pending.get();
                synchronized (lock) {
                    if (!loaded.removed) {
                        loaded.leases++;
                        return new Lease(loaded);
                    }
                }
                // Evicted between its load and our turn: try again (it is rare and bounded by contention).
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
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
        List<Entry> toClose = new ArrayList<>();
        List<K> evicted = new ArrayList<>();
        synchronized (lock) {
            loading.remove(key);
            entry.leases = 1;
            entries.put(key, entry);
            weight += entry.weight;
            Iterator<Entry> eldest = entries.values().iterator();
            while ((entries.size() > maxEntries || weight > maxWeight) && eldest.hasNext()) {
                Entry victim = eldest.next();
                if (victim == entry) {
                    continue;
                }
                eldest.remove();
                detach(victim, toClose);
                evicted.add(victim.key);
            }
        }
        pending.complete(entry);
        evicted.forEach(listener::evicted);
        toClose.forEach(this::close);
        return new Lease(entry);
    }

    /** Drops every entry whose key matches (a tenant offboarded); values in use close when released. */
    public int invalidateIf(Predicate<K> matching) {
        List<Entry> toClose = new ArrayList<>();
        int removed = 0;
        synchronized (lock) {
            Iterator<Entry> it = entries.values().iterator();
            while (it.hasNext()) {
                Entry entry = it.next();
                if (matching.test(entry.key)) {
                    it.remove();
                    detach(entry, toClose);
                    removed++;
                }
            }
        }
        toClose.forEach(this::close);
        return removed;
    }

    public int size() {
        synchronized (lock) {
            return entries.size();
        }
    }

    public long weight() {
        synchronized (lock) {
            return weight;
        }
    }

    public boolean contains(K key) {
        synchronized (lock) {
            return entries.containsKey(key);
        }
    }

    private void detach(Entry entry, List<Entry> toClose) {
        entry.removed = true;
        weight -= entry.weight;
        if (entry.leases == 0) {
            entry.closed = true;
            toClose.add(entry);
        }
    }

    private void release(Entry entry) {
        boolean close = false;
        synchronized (lock) {
            entry.leases--;
            if (entry.removed && entry.leases == 0 && !entry.closed) {
                entry.closed = true;
                close = true;
            }
        }
        if (close) {
            close(entry);
        }
    }

    private void close(Entry entry) {
        closer.accept(entry.value);
    }
}
