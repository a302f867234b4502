package io.tenantml.experts;

import java.util.List;

/**
 * Quality of a ranking over held-out questions with one relevant expert each (the author): the share with
 * the author first, in the top 5, in the top 10; mean reciprocal rank cut at 10 (0 beyond); nDCG@10, which
 * with one relevant item is 1 / log2(1 + rank) within the top 10.
 */
public record RankingMetrics(
        int queries, double hitAt1, double hitAt5, double hitAt10, double mrrAt10, double ndcgAt10) {

    /** From the 1-based rank of the author per question (0 = not ranked at all). */
    public static RankingMetrics of(List<Integer> ranks) {
        int n = ranks.size();
        if (n == 0) {
            return new RankingMetrics(0, 0, 0, 0, 0, 0);
        }
        double h1 = 0, h5 = 0, h10 = 0, mrr = 0, ndcg = 0;
        for (int rank : ranks) {
            if (rank < 1 || rank > 10) {
                continue;
            }
            h10++;
            h5 += rank <= 5 ? 1 : 0;
            h1 += rank == 1 ? 1 : 0;
            mrr += 1.0 / rank;
            ndcg += 1.0 / (Math.log(1 + rank) / Math.log(2));
        }
        return new RankingMetrics(n, h1 / n, h5 / n, h10 / n, mrr / n, ndcg / n);
    }
}
