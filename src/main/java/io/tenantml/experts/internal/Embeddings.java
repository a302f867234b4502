package io.tenantml.experts.internal;

import io.tenantml.experts.Embedder;
import io.tenantml.experts.ExpertsConfig;
import io.tenantml.shared.TenantId;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The node's embedder on a bounded, named pool ("tenantml-embed-N"), and the per-tenant cache by content hash
 * in front of it: a build embeds only texts whose vector the tenant does not have yet.
 */
@ApplicationScoped
public class Embeddings {

    @Inject
    ExpertsConfig config;

    @Inject
    EmbeddingCache cache;

    @Inject
    Clock clock;

    private ExecutorService pool;
    private Embedder embedder;

    synchronized Embedder embedder() {
        if (embedder == null) {
            int threads = config.embedThreads();
            // bounded threads; the queue holds the model's per-batch tasks (a batch is split across the pool)
            pool = new ThreadPoolExecutor(
                    threads,
                    threads,
                    30,
                    TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(10_000),
                    Thread.ofPlatform().name("tenantml-embed-", 0).daemon().factory(),
                    new ThreadPoolExecutor.CallerRunsPolicy());
            embedder = new MiniLmEmbedder(pool);
        }
        return embedder;
    }

    public String model() {
        return MiniLmEmbedder.MODEL;
    }

    /** One query's vector (not cached: questions are rarely repeated, and embedding one takes milliseconds). */
    public float[] query(String text) {
        return embedder().embed(List.of(text)).get(0);
    }

    /** Result of embedding a corpus: vectors in order, and how many had to be computed. */
    public record Embedded(List<float[]> vectors, int computed) {}

    /** Vectors for every text, from the tenant's cache where it has them; {@code progress} gets texts done. */
    public Embedded embed(TenantId tenant, List<String> texts, IntConsumer progress) {
        List<byte[]> hashes = new ArrayList<>(texts.size());
        for (String t : texts) {
            hashes.add(Vectors.contentHash(t));
        }
        LocalDate today = LocalDate.now(clock);
        Map<String, float[]> cached = cache.lookup(tenant, model(), hashes, today);
        float[][] out = new float[texts.size()][];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out[i] = cached.get(HexFormat.of().formatHex(hashes.get(i)));
            if (out[i] == null) {
                missing.add(i);
            }
        }
        int done = texts.size() - missing.size();
        progress.accept(done);
        int batch = config.embedBatch();
        int computed = 0;
        for (int from = 0; from < missing.size(); from += batch) {
            List<Integer> part = missing.subList(from, Math.min(missing.size(), from + batch));
            List<String> partTexts = new ArrayList<>(part.size());
            List<byte[]> partHashes = new ArrayList<>(part.size());
            for (int i : part) {
                partTexts.add(texts.get(i));
                partHashes.add(hashes.get(i));
            }
            List<float[]> vectors = embedder().embed(partTexts);
            cache.store(tenant, model(), partHashes, vectors, today);
            for (int j = 0; j < part.size(); j++) {
                out[part.get(j)] = vectors.get(j);
            }
            computed += part.size();
            done += part.size();
            progress.accept(done);
        }
        return new Embedded(List.of(out), computed);
    }

    @PreDestroy
    synchronized void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
