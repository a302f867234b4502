package io.tenantml.experts.internal;

import io.tenantml.experts.BuildEvaluation;
import io.tenantml.experts.RankerKind;
import io.tenantml.experts.RankingMetrics;
import io.tenantml.experts.RankingSettings;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleConsumer;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The temporal-holdout evaluation of a build, and the training of its re-ranker on the training part's own
 * questions. Answers must come oldest first (ties keep dataset order).
 */
public final class Evaluator {

    /** Baseline window: "most active expert in the last 180 days". */
    static final long MOST_ACTIVE_DAYS = 180;

    /** Training questions for the re-ranker: at most this many, from the newest part of the training answers. */
    static final int RERANK_QUESTIONS = 1500;

    /** Re-ranker questions skip the oldest this share of the training part (they have too little history). */
    static final double RERANK_SKIP_OLDEST = 0.2;

    private Evaluator() {}

    /** What an evaluation produced: its metrics and, when one was trained, the re-ranker (caller closes it). */
    public record Result(BuildEvaluation evaluation, Reranker reranker) {}

    public static Result evaluate(
            List<ExpertDoc> docs,
            List<float[]> vectors,
            double holdoutFraction,
            RankingSettings settings,
            boolean trainReranker,
            long seed,
            int threads,
            DoubleConsumer progress)
            throws IOException, XGBoostError {
        int n = docs.size();
        int split = n - (int) Math.ceil(n * holdoutFraction);
        if (split < 1 || split >= n) {
            throw new IllegalArgumentException("too few answers for a holdout: " + n);
        }
        List<ExpertDoc> train = docs.subList(0, split);
        List<ExpertDoc> holdout = docs.subList(split, n);
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        ExpertIndex.write(train, vectors.subList(0, split), dir);
        try (ExpertIndex index = ExpertIndex.open(dir)) {
            Reranker reranker = null;
            if (trainReranker) {
                reranker = trainReranker(index, train, vectors, settings, seed, threads, holdout.size());
            }
            progress.accept(0.5);
            List<Integer> unlearned = new ArrayList<>();
            List<Integer> reranked = new ArrayList<>();
            List<Integer> bm25 = new ArrayList<>();
            List<Integer> active = new ArrayList<>();
            List<String> mostActive = mostActive(index);
            for (int i = 0; i < holdout.size(); i++) {
                ExpertDoc q = holdout.get(i);
                if (!index.knows(q.expert())) {
                    continue;
                }
                ExpertRanker.Ranking ranking = ExpertRanker.rank(
                        index, new ExpertRanker.Question(q.text(), vectors.get(split + i), q.tags(), null), settings);
                unlearned.add(rankOf(ranking.candidates(), q.expert()));
                if (reranker != null) {
                    reranked.add(rankOf(reranker.rerank(ranking), q.expert()));
                }
                bm25.add(bm25VotesRank(index, q, settings.candidates()));
                int r = mostActive.indexOf(q.expert());
                active.add(r < 0 ? 0 : r + 1);
                if (i % 50 == 0) {
                    progress.accept(0.5 + 0.5 * i / holdout.size());
                }
            }
            RankingMetrics unlearnedMetrics = RankingMetrics.of(unlearned);
            RankingMetrics rerankedMetrics = reranker == null ? null : RankingMetrics.of(reranked);
            // the learned ranking serves only when it is better on the holdout than the one it re-orders
            RankerKind served = rerankedMetrics != null && rerankedMetrics.mrrAt10() > unlearnedMetrics.mrrAt10()
                    ? RankerKind.RERANKED
                    : RankerKind.UNLEARNED;
            BuildEvaluation evaluation = new BuildEvaluation(
                    Instant.ofEpochMilli(train.get(train.size() - 1).time()),
                    train.size(),
                    holdout.size(),
                    served,
                    unlearnedMetrics,
                    rerankedMetrics,
                    RankingMetrics.of(active),
                    RankingMetrics.of(bm25));
            return new Result(evaluation, reranker);
        }
    }

    /**
     * Trains the re-ranker on the training part's own questions, asked the way the holdout and serving ask them:
     * the training part is cut into blocks of the holdout's size, counted back from its end, and a question of a
     * block sees the index frozen at the block's start (not at its own time: answers come in bursts, so "the
     * author answered an hour ago" would be a signal that a generation serving for weeks never has). A question
     * counts only when its author answered before the block, as the holdout counts known experts only.
     */
    private static Reranker trainReranker(
            ExpertIndex index,
            List<ExpertDoc> train,
            List<float[]> vectors,
            RankingSettings settings,
            long seed,
            int threads,
            int block)
            throws XGBoostError {
        int from = (int) (train.size() * RERANK_SKIP_OLDEST);
        int available = train.size() - from;
        int step = Math.max(1, available / RERANK_QUESTIONS);
        List<Reranker.Group> groups = new ArrayList<>();
        for (int doc = from; doc < train.size(); doc += step) {
            ExpertDoc q = train.get(doc);
            int start = blockStart(doc, train.size(), block);
            if (start < 1) {
                continue;
            }
            long cutoff = train.get(start - 1).time() + 1;
            Integer author = index.expertOrdinal.get(q.expert());
            if (author == null || index.answersAtOrBefore(author, cutoff - 1) == 0) {
                continue;
            }
            ExpertRanker.Ranking ranking = ExpertRanker.rank(
                    index, new ExpertRanker.Question(q.text(), vectors.get(doc), q.tags(), cutoff), settings);
            int relevant = -1;
            List<ExpertRanker.Candidate> candidates = ranking.candidates();
            for (int i = 0; i < Math.min(Reranker.DEPTH, candidates.size()); i++) {
                if (candidates.get(i).name.equals(q.expert())) {
                    relevant = i;
                    break;
                }
            }
            groups.add(new Reranker.Group(ranking, relevant));
        }
        return Reranker.train(groups, seed, threads);
    }

    /**
     * First answer of the block holding answer {@code doc} when answers {@code [0, end)} are cut into blocks of
     * {@code block} counted back from {@code end} (the oldest block may be partial; its start can be negative).
     */
    static int blockStart(int doc, int end, int block) {
        if (doc < 0 || doc >= end || block < 1) {
            throw new IllegalArgumentException("doc " + doc + " outside [0, " + end + ") or block " + block);
        }
        return end - ((end - 1 - doc) / block + 1) * block;
    }

    static int rankOf(List<ExpertRanker.Candidate> ranked, String expert) {
        for (int i = 0; i < ranked.size(); i++) {
            if (ranked.get(i).name.equals(expert)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Experts by answers in the 180 days up to the newest training answer, most first (ties by name). */
    static List<String> mostActive(ExpertIndex index) {
        long to = index.newest();
        long from = to - MOST_ACTIVE_DAYS * 86_400_000L;
        List<String> names = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int e = 0; e < index.experts.length; e++) {
            int c = index.answersBetween(e, from, to);
            if (c > 0) {
                names.add(index.experts[e]);
                counts.put(index.experts[e], c);
            }
        }
        names.sort(Comparator.comparing((String s) -> -counts.get(s)).thenComparing(s -> s));
        return names;
    }

    /** Baseline: BM25 over past questions' text, each of the top answers votes its score for its author. */
    static int bm25VotesRank(ExpertIndex index, ExpertDoc q, int depth) {
        Query query = ExpertRanker.textOnly(index, q.text());
        if (query == null) {
            return 0;
        }
        Map<String, Double> votes = new HashMap<>();
        try {
            for (ScoreDoc sd : index.searcher().search(query, depth).scoreDocs) {
                votes.merge(index.experts[index.expertOfDoc[sd.doc]], (double) sd.score, Double::sum);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> ranked = new ArrayList<>(votes.keySet());
        ranked.sort(Comparator.comparing((String s) -> -votes.get(s)).thenComparing(s -> s));
        int r = ranked.indexOf(q.expert());
        return r < 0 ? 0 : r + 1;
    }

    /** Documents shared by two sets, for recall. */
    static int overlap(Set<Integer> a, Set<Integer> b) {
        Set<Integer> s = new HashSet<>(a);
        s.retainAll(b);
        return s.size();
    }
}
