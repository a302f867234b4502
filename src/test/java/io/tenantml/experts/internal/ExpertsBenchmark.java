package io.tenantml.experts.internal;

import io.tenantml.dataset.bench.BenchmarkDocs;
import io.tenantml.experts.DevSet;
import io.tenantml.experts.RankerKind;
import io.tenantml.experts.RankingSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 3, side by side in one run on the dev set: a recommendation (embed the question, kNN + BM25, fuse,
 * aggregate, explain) against the sum of its parts measured raw (embedding one query, a raw Lucene kNN search,
 * a raw BM25 search); build throughput against raw embedding throughput; index size and heap.
 */
@Tag("benchmark")
class ExpertsBenchmark {

    static final int QUERIES = 300;

    static final int WARM_UP = 100;

    @Test
    void recommendVersusItsParts() throws Exception {
        DevSet dev = DevSet.get();
        ExecutorService pool = Executors.newFixedThreadPool(
                2, Thread.ofPlatform().name("bench-embed-", 0).daemon().factory());
        try {
            MiniLmEmbedder embedder = new MiniLmEmbedder(pool);
            int split = dev.docs.size() - (int) Math.ceil(dev.docs.size() * 0.1);
            System.gc();
            long heapBefore =
                    Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            ByteBuffersDirectory dir = new ByteBuffersDirectory();
            long indexStart = System.nanoTime();
            ExpertIndex.write(dev.docs, dev.vectors, dir);
            double indexSeconds = (System.nanoTime() - indexStart) / 1e9;
            try (ExpertIndex index = ExpertIndex.open(dir)) {
                System.gc();
                long heapAfter = Runtime.getRuntime().totalMemory()
                        - Runtime.getRuntime().freeMemory();
                // the generation a build of the dev set serves: its evaluation decides whether the re-ranker
                // serves, and the re-ranker goes through its stored bytes as a node opening the generation loads it
                Evaluator.Result evaluated =
                        Evaluator.evaluate(dev.docs, dev.vectors, 0.1, RankingSettings.DEFAULTS, true, 42, 2, p -> {});
                RankerKind served = evaluated.evaluation().served();
                Reranker reranker = null;
                if (evaluated.reranker() != null) {
                    if (served == RankerKind.RERANKED) {
                        reranker = Reranker.load(evaluated.reranker().bytes());
                    }
                    evaluated.reranker().close();
                }
                Generation generation = new Generation(null, index, reranker, served, RankingSettings.DEFAULTS);
                // acceptance 1's questions: the held-out answers' text and tags
                List<ExpertDoc> questions = dev.docs.subList(split, split + QUERIES);
                for (int i = 0; i < WARM_UP; i++) {
                    ExpertDoc q = questions.get(i % QUERIES);
                    Explainer.recommend(
                            generation,
                            q.text(),
                            embedder.embed(List.of(q.text())).get(0),
                            q.tags(),
                            5,
                            Set.of(),
                            e -> true,
                            false);
                }
                long[] full = new long[QUERIES];
                long[] embed = new long[QUERIES];
                long[] knn = new long[QUERIES];
                long[] bm25 = new long[QUERIES];
                for (int i = 0; i < QUERIES; i++) {
                    ExpertDoc q = questions.get(i);
                    long t0 = System.nanoTime();
                    float[] v = embedder.embed(List.of(q.text())).get(0);
                    Explainer.recommend(generation, q.text(), v, q.tags(), 5, Set.of(), e -> true, false);
                    long t1 = System.nanoTime();
                    embedder.embed(List.of(q.text()));
                    long t2 = System.nanoTime();
                    index.searcher().search(new KnnFloatVectorQuery(ExpertIndex.VECTOR, v, 100), 100);
                    long t3 = System.nanoTime();
                    // the keyword query recommend runs: the question's words and its tags
                    index.searcher()
                            .search(
                                    ExpertRanker.keywordQuery(
                                            index,
                                            new ExpertRanker.Question(q.text(), v, q.tags(), null),
                                            RankingSettings.DEFAULTS.tagBoost()),
                                    100);
                    long t4 = System.nanoTime();
                    full[i] = t1 - t0;
                    embed[i] = t2 - t1;
                    knn[i] = t3 - t2;
                    bm25[i] = t4 - t3;
                }
                long[] parts = new long[QUERIES];
                for (int i = 0; i < QUERIES; i++) {
                    parts[i] = embed[i] + knn[i] + bm25[i];
                }
                int rows = 1000;
                List<String> texts =
                        dev.docs.subList(0, rows).stream().map(ExpertDoc::text).toList();
                long e0 = System.nanoTime();
                for (int from = 0; from < rows; from += 64) {
                    embedder.embed(texts.subList(from, Math.min(rows, from + 64)));
                }
                double embedRate = rows / ((System.nanoTime() - e0) / 1e9);
                long b0 = System.nanoTime();
                List<float[]> vectors = new ArrayList<>();
                for (int from = 0; from < rows; from += 64) {
                    vectors.addAll(embedder.embed(texts.subList(from, Math.min(rows, from + 64))));
                }
                Evaluator.Result r = Evaluator.evaluate(
                        dev.docs.subList(0, rows), vectors, 0.1, RankingSettings.DEFAULTS, true, 42, 2, p -> {});
                if (r.reranker() != null) {
                    r.reranker().close();
                }
                ExpertIndex.write(dev.docs.subList(0, rows), vectors, new ByteBuffersDirectory());
                double buildRate = rows / ((System.nanoTime() - b0) / 1e9);
                String results = String.format(
                        """
                        Measured on %s, JDK %s, one run, load average at the end %s (the machine's other work
                        inflates absolute times; the ratios were taken side by side in the same loop).

                        | per question (%d held-out dev-set questions, text and tags; %s ranking served) | p50 ms | p99 ms |
                        | --- | --- | --- |
                        | recommend (embed + kNN + BM25 + candidate model + fuse + aggregate + re-rank + evidence), in process | %.2f | %.2f |
                        | sum of raw parts (embed one query + Lucene kNN 100 + Lucene BM25 100 over words and tags) | %.2f | %.2f |
                        | of which embedding one query | %.2f | %.2f |
                        | of which raw kNN / raw BM25 | %.2f / %.2f | %.2f / %.2f |
                        | **ratio recommend / parts (goal ≤ 1.3 at p50)** | **%.2f** | %.2f |

                        | build | rows/s |
                        | --- | --- |
                        | raw embedding, batches of 64 on 2 threads | %.0f |
                        | build of 1,000 rows from scratch (embed + holdout evaluation with re-ranker training + index) | %.0f |

                        Index of all %d answers: %.1f MB of Lucene files (held in memory when open), written in %.1f s;
                        heap grew by about %.0f MB when it was opened. The recommend figure excludes HTTP and the database
                        lookup of the current build. The served ranking is the one a build of the whole dev set serves (its
                        evaluation, seed 42, picks it; a re-ranker is loaded from its stored bytes).
                        """,
                        System.getProperty("os.arch"),
                        System.getProperty("java.version"),
                        loadAverage(),
                        QUERIES,
                        served.name().toLowerCase(java.util.Locale.ROOT),
                        ms(full, 0.5),
                        ms(full, 0.99),
                        ms(parts, 0.5),
                        ms(parts, 0.99),
                        ms(embed, 0.5),
                        ms(embed, 0.99),
                        ms(knn, 0.5),
                        ms(bm25, 0.5),
                        ms(knn, 0.99),
                        ms(bm25, 0.99),
                        ms(full, 0.5) / ms(parts, 0.5),
                        ms(full, 0.99) / ms(parts, 0.99),
                        embedRate,
                        buildRate,
                        dev.docs.size(),
                        index.bytes() / 1e6,
                        indexSeconds,
                        (heapAfter - heapBefore) / 1e6);
                System.out.println(results);
                BenchmarkDocs.replaceSection("experts", results);
                if (reranker != null) {
                    reranker.close();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static double ms(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    /** The 1, 5 and 15 minute load averages, so a reader can tell a quiet run from a loaded one. */
    private static String loadAverage() {
        try {
            String[] parts = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
