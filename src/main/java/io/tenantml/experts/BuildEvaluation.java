package io.tenantml.experts;

import java.time.Instant;

/**
 * A build's evaluation on its temporal holdout: the latest {@code holdoutFraction} of answers by time are
 * asked as questions (text and tags) of an index of the earlier ones; a question counts only when its author
 * answered in the earlier part. Stored with the build, side by side with the two baselines on the same split.
 *
 * @param splitAt      answers at or before this time are the training part
 * @param trainRows    answers in the training part
 * @param holdoutRows  answers after the split
 * @param served       which ranking this build serves
 * @param unlearned    fused BM25 + kNN with priors
 * @param reranked     the XGBoost re-ranker's, when one was trained
 * @param mostActive   baseline: most answers in the 180 days before the split
 * @param bm25Votes    baseline: BM25 over past questions, each answer's score a vote for its author
 */
public record BuildEvaluation(
        Instant splitAt,
        int trainRows,
        int holdoutRows,
        RankerKind served,
        RankingMetrics unlearned,
        RankingMetrics reranked,
        RankingMetrics mostActive,
        RankingMetrics bm25Votes) {

    /** The metrics of the ranking that serves. */
    public RankingMetrics servedMetrics() {
        return served == RankerKind.RERANKED && reranked != null ? reranked : unlearned;
    }
}
