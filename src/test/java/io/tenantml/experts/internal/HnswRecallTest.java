package io.tenantml.experts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.experts.DevSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 2: the HNSW search as the ranking runs it (100 candidates, of which the best 10 are compared)
 * against an exact scan of the same embeddings, recall@10 over the dev corpus with its held-out questions
 * (the last 716 answers by time) as queries against the first 6,442.
 */
class HnswRecallTest {

    @Test
    void shouldFindAtLeast95PercentOfTheExactTop10() throws Exception {
        DevSet dev = DevSet.get();
        int split = dev.docs.size() - (int) Math.ceil(dev.docs.size() * 0.1);
        List<float[]> corpus = dev.vectors.subList(0, split);
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        ExpertIndex.write(dev.docs.subList(0, split), corpus, dir);
        double foundAt100 = 0;
        double foundAt10 = 0;
        int queries = 0;
        try (ExpertIndex index = ExpertIndex.open(dir)) {
            for (int q = split; q < dev.docs.size(); q++) {
                float[] query = dev.vectors.get(q);
                Set<Integer> exact = exactTop10(corpus, query);
                foundAt100 += overlap(top10(index, query, 100), exact);
                foundAt10 += overlap(top10(index, query, 10), exact);
                queries++;
            }
        }
        double recall = foundAt100 / (10.0 * queries);
        System.out.printf(
                "HNSW recall@10 over %d queries: %.4f with 100 candidates (as ranked), %.4f with 10%n",
                queries, recall, foundAt10 / (10.0 * queries));
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
    }

    private static Set<Integer> top10(ExpertIndex index, float[] query, int candidates) throws Exception {
        ScoreDoc[] hits = index.searcher()
                .search(new KnnFloatVectorQuery(ExpertIndex.VECTOR, query, candidates), candidates)
                .scoreDocs;
        Set<Integer> top = new HashSet<>();
        for (int i = 0; i < Math.min(10, hits.length); i++) {
            top.add(hits[i].doc);
        }
        return top;
    }

    /** Exact: every corpus vector scored once, the 10 best kept (ties by document number). */
    private static Set<Integer> exactTop10(List<float[]> corpus, float[] query) {
        double[] scores = new double[corpus.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Vectors.dot(corpus.get(i), query);
        }
        Set<Integer> top = new HashSet<>();
        IntStream.range(0, scores.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i))
                .limit(10)
                .forEach(top::add);
        return top;
    }

    private static int overlap(Set<Integer> a, Set<Integer> b) {
        Set<Integer> s = new HashSet<>(a);
        s.retainAll(b);
        return s.size();
    }
}
