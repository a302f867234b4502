package io.tenantml.shared.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelCacheTest {

    /** A stand-in for a loaded model: a name and a size, and whether it was closed. */
    static final class Model {
        final String name;
        final long bytes;
        volatile int closed;

        Model(String name, long bytes) {
            this.name = name;
            this.bytes = bytes;
        }
    }

    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger misses = new AtomicInteger();
    final List<String> evicted = new CopyOnWriteArrayList<>();

    ModelCache<String, Model> cache(int maxEntries, long maxBytes) {
        return new ModelCache<>(maxEntries, maxBytes, m -> m.bytes, m -> m.closed++, new ModelCache.Listener<>() {
            @Override
            public void miss(String key) {
                misses.incrementAndGet();
            }

            @Override
            public void evicted(String key) {
                evicted.add(key);
            }
        });
    }

    ModelCache.Loader<String, Model> loader(long bytes) {
        return key -> {
            loads.incrementAndGet();
            return new Model(key, bytes);
        };
    }

    Model get(ModelCache<String, Model> cache, String key) throws Exception {
        try (var lease = cache.acquire(key, loader(10))) {
            return lease.value();
        }
    }

    @Test
    void shouldLoadOnceWhenFiftyConcurrentCallersAskForAColdModel() throws Exception {
        ModelCache<String, Model> cache = cache(4, 1_000);
        int callers = 50;
        // The load only finishes once every caller has missed, so all 50 really overlap with it.
        ModelCache.Loader<String, Model> slowLoader = key -> {
            loads.incrementAndGet();
            await().atMost(Duration.ofSeconds(10)).until(() -> misses.get() >= callers);
            return new Model(key, 10);
        };
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Model>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    try (var lease = cache.acquire("tenant-a/churn/1", slowLoader)) {
                        return lease.value();
                    }
                }));
            }
            Model first = results.get(0).get(20, TimeUnit.SECONDS);
            for (Future<Model> result : results) {
                assertThat(result.get(20, TimeUnit.SECONDS)).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads).hasValue(1);
        assertThat(misses).hasValue(callers);
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedWhenCountIsExceeded() throws Exception {
        ModelCache<String, Model> cache = cache(2, 1_000);
        Model a = get(cache, "a");
        Model b = get(cache, "b");
        get(cache, "a");
        get(cache, "c");

        assertThat(evicted).containsExactly("b");
        assertThat(b.closed).isEqualTo(1);
        assertThat(a.closed).isZero();
        assertThat(cache.contains("a")).isTrue();
        assertThat(cache.contains("c")).isTrue();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(loads).hasValue(3);
    }

    @Test
    void shouldEvictByBytesBeforeCountIsReached() throws Exception {
        ModelCache<String, Model> cache = cache(10, 25);
        get(cache, "a");
        get(cache, "b");
        get(cache, "c");

        assertThat(evicted).containsExactly("a");
        assertThat(cache.weight()).isEqualTo(20);
    }

    @Test
    void shouldKeepAModelLargerThanTheByteLimitWhenItIsAlone() throws Exception {
        ModelCache<String, Model> cache = cache(10, 5);
        Model big = get(cache, "big");
        assertThat(cache.contains("big")).isTrue();
        assertThat(big.closed).isZero();
        get(cache, "next");
        assertThat(big.closed).isEqualTo(1);
        assertThat(cache.contains("next")).isTrue();
    }

    @Test
    void shouldCloseAnEvictedModelOnlyAfterItsLastLeaseIsReleased() throws Exception {
        ModelCache<String, Model> cache = cache(1, 1_000);
        var lease = cache.acquire("a", loader(10));
        get(cache, "b");
        assertThat(evicted).containsExactly("a");
        assertThat(lease.value().closed)
                .as("closed while a prediction still uses it")
                .isZero();
        lease.close();
        lease.close();
        assertThat(lease.value().closed).isEqualTo(1);
    }

    @Test
    void shouldNotCacheAFailedLoad() throws Exception {
        ModelCache<String, Model> cache = cache(2, 1_000);
        assertThatThrownBy(() -> cache.acquire("a", key -> {
                    throw new java.io.IOException("blob missing");
                }))
                .hasMessage("blob missing");
        assertThat(cache.contains("a")).isFalse();
        assertThat(get(cache, "a").name).isEqualTo("a");
    }

    @Test
    void shouldReportAFailedLoadToEveryWaitingCaller() throws Exception {
        ModelCache<String, Model> cache = cache(2, 1_000);
        CountDownLatch bothMissed = new CountDownLatch(1);
        ModelCache.Loader<String, Model> failing = key -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> misses.get() >= 2);
            bothMissed.countDown();
            throw new IllegalStateException("tampered");
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> one = pool.submit(() -> cache.acquire("a", failing));
            Future<?> two = pool.submit(() -> cache.acquire("a", failing));
            assertThatThrownBy(() -> one.get(20, TimeUnit.SECONDS)).hasRootCauseMessage("tampered");
            assertThatThrownBy(() -> two.get(20, TimeUnit.SECONDS)).hasRootCauseMessage("tampered");
        } finally {
            pool.shutdownNow();
        }
        assertThat(bothMissed.getCount()).isZero();
    }

    @Test
    void shouldDropAndCloseInvalidatedModels() throws Exception {
        ModelCache<String, Model> cache = cache(5, 1_000);
        Model a = get(cache, "t1/a");
        Model b = get(cache, "t2/b");
        assertThat(cache.invalidateIf(k -> k.startsWith("t1/"))).isEqualTo(1);
        assertThat(a.closed).isEqualTo(1);
        assertThat(b.closed).isZero();
        assertThat(cache.contains("t1/a")).isFalse();
        assertThat(cache.weight()).isEqualTo(10);
    }

    @Test
    void shouldRejectNonPositiveLimits() {
        assertThatThrownBy(() -> cache(0, 10)).hasMessageContaining("maxEntries");
        assertThatThrownBy(() -> cache(1, 0)).hasMessageContaining("maxWeight");
    }
}
