package io.tenantml.experts.internal;

import io.tenantml.experts.RankingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.QueryBuilder;

/**
 * The unlearned ranking: BM25 and kNN candidate answers fused by reciprocal rank fusion, aggregated per expert
 * by a document model (the sum of the expert's best fused answers, Balog's model 2 with RRF as p(q|d)), times
 * a recency and an activity prior and a tag prior (the expert's time-decayed answers on the question's tags,
 * a per-expert tag model); that document model's expert ranking is fused by weighted reciprocal rank with
 * Balog's candidate model (model 1, {@link CandidateModel}: each expert's whole history as one smoothed,
 * time-decayed language model). The candidate pool also holds the most active experts of the window and of each
 * question tag, so the re-ranker can lift someone with no textually similar answer. Every candidate expert
 * carries the features of the learned re-ranker, all taken as of the question's time when it has one.
 * Deterministic: the same index, query and settings give the same ranking on every node.
 */
public final class ExpertRanker {

    /** Query text is cut to this many characters: a BM25 clause per term must stay under Lucene's limit. */
    static final int MAX_QUERY_CHARS = 3000;

    /** Clauses of text and tags in one keyword query: below Lucene's default limit of 1,024. */
    static final int MAX_TEXT_CLAUSES = 1000;

    private static final double LN2 = Math.log(2);

    /** Tag prior's pseudo-count of decayed answers on the question's tags (see {@link #tagPrior}). */
    static final double TAG_ACTIVITY_PSEUDO_COUNT = 0.1;

    private static final double DAY_MILLIS = 86_400_000d;

    /**
     * A question: text, its unit vector, tags, and optionally the time it is asked at: only answers before it
     * are searched and the priors are taken at it (a training question of the re-ranker sees the index as it
     * was when the question was asked, as a real question does; null means the whole index).
     */
    public record Question(String text, float[] vector, List<String> tags, Long asOf) {
        public Question {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    /** A matching answer of a candidate expert. */
    public record Hit(int doc, double fused, int knnRank, double knnScore, int bm25Rank, double bm25Score) {}

    public static final List<String> FEATURE_NAMES = List.of(
            "fused",
            "best_fused",
            "best_cosine",
            "mean_cosine_top3",
            "best_bm25_relative",
            "mean_bm25_relative_top3",
            "knn_answers",
            "bm25_answers",
            "recency",
            "days_since_last_log",
            "activity_log",
            "activity_share",
            "answers_log",
            "tag_overlap",
            "tag_share",
            "recent_tag_share",
            "recent_tag_answers_log",
            "tag_activity_log",
            "query_tags",
            "unlearned_score",
            "unlearned_rank_inverse",
            "document_model_rank_inverse",
            "candidate_model_relative",
            "candidate_model_rank_inverse");

    /** Number of features per candidate, in {@link Candidate#features} order. */
    public static final int FEATURES = FEATURE_NAMES.size();

    /** A candidate expert with its unlearned score and the evidence behind it. */
    public static final class Candidate {
        public final int expert;
        public final String name;
        public final List<Hit> hits = new ArrayList<>();
        double fused;
        double bestKnn;
        double meanKnnTop3;
        double bestBm25;
        double meanBm25Top3;
        int knnAnswers;
        int bm25Answers;
        public double recency;
        double daysSinceLast;
        public double activity;
        double activityShare;
        public double answers;
        /** Share of the expert's answers (as of the question) carrying the question's tags, mean over tags. */
        public double tagOverlap;
        /** The expert's share of everyone's answers (as of the question) carrying each tag, mean over tags. */
        double tagShare;
        /** As {@link #tagShare}, within the activity window. */
        double recentTagShare;
        /** The expert's answers within the activity window carrying the question's tags, summed over tags. */
        double recentTagAnswers;
        /** The expert's answers carrying the question's tags, each weighted by its age (tag half-life), summed. */
        public double tagActivity;

        int queryTags;
        /** The document model with its priors (sum of best fused answers × recency × activity × tag prior). */
        public double documentModel;
        /** Balog's model 1 log score; comparable only within one question. */
        public double candidateModel;
        /** 1-based ranks of the candidate by each model among the question's candidates. */
        public int documentModelRank;

        public int candidateModelRank;
        /** The best candidate-model score among the question's candidates (for the relative feature). */
        double bestCandidateModel;

        public double unlearned;
        public int unlearnedRank;
        public double score;

        Candidate(int expert, String name) {
            this.expert = expert;
            this.name = name;
        }

        public double fused() {
            return fused;
        }

        public double bestCosine() {
            return bestKnn;
        }

        public double bestBm25() {
            return bestBm25;
        }

        public int knnAnswers() {
            return knnAnswers;
        }

        public int bm25Answers() {
            return bm25Answers;
        }

        public float[] features(double maxBm25) {
            return new float[] {
                (float) fused,
                (float) (hits.isEmpty() ? 0 : hits.get(0).fused()),
                (float) bestKnn,
                (float) meanKnnTop3,
                (float) (maxBm25 > 0 ? bestBm25 / maxBm25 : 0),
                (float) (maxBm25 > 0 ? meanBm25Top3 / maxBm25 : 0),
                knnAnswers,
                bm25Answers,
                (float) recency,
                (float) Math.log1p(daysSinceLast),
                (float) Math.log1p(activity),
                (float) activityShare,
                (float) Math.log1p(answers),
                (float) tagOverlap,
                (float) tagShare,
                (float) recentTagShare,
                (float) Math.log1p(recentTagAnswers),
                (float) Math.log1p(tagActivity),
                queryTags,
                (float) unlearned,
                (float) (1.0 / unlearnedRank),
                (float) (1.0 / documentModelRank),
                // an expert the model cannot score (no answer yet) is far below everyone, not at -infinity
                (float) Math.max(-1000, candidateModel - bestCandidateModel),
                (float) (1.0 / candidateModelRank)
            };
        }
    }

    /** The candidates, best unlearned first, and the best BM25 score (to make BM25 features relative). */
    public record Ranking(List<Candidate> candidates, double maxBm25) {}

    private ExpertRanker() {}

    public static Ranking rank(ExpertIndex index, Question question, RankingSettings settings) {
        try {
            return rankChecked(index, question, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Ranking rankChecked(ExpertIndex index, Question q, RankingSettings s) throws IOException {
        if (index.size() == 0) {
            return new Ranking(List.of(), 0);
        }
        IndexSearcher searcher = index.searcher();
        Query before = q.asOf() == null
                ? null
                : org.apache.lucene.document.LongPoint.newRangeQuery(
                        ExpertIndex.TIME_POINT, Long.MIN_VALUE, q.asOf() - 1);
        Map<Integer, double[]> docs = new HashMap<>(); // doc -> knnRank, knnScore, bm25Rank, bm25Score
        if (q.vector() != null) {
            TopDocs knn = searcher.search(
                    new KnnFloatVectorQuery(ExpertIndex.VECTOR, q.vector(), s.candidates(), before), s.candidates());
            int rank = 0;
            for (ScoreDoc sd : knn.scoreDocs) {
                rank++;
                // Lucene's cosine score is (1 + cos) / 2; report the cosine itself
                docs.computeIfAbsent(sd.doc, d -> new double[] {0, 0, 0, 0})[0] = rank;
                docs.get(sd.doc)[1] = 2.0 * sd.score - 1.0;
            }
        }
        Query keyword = keywordQuery(index, q, s.tagBoost());
        double maxBm25 = 0;
        if (keyword != null) {
            if (before != null) {
                keyword = new BooleanQuery.Builder()
                        .add(keyword, BooleanClause.Occur.MUST)
                        .add(before, BooleanClause.Occur.FILTER)
                        .build();
            }
            TopDocs bm25 = searcher.search(keyword, s.candidates());
            int rank = 0;
            for (ScoreDoc sd : bm25.scoreDocs) {
                rank++;
                double[] d = docs.computeIfAbsent(sd.doc, x -> new double[] {0, 0, 0, 0});
                d[2] = rank;
                d[3] = sd.score;
                maxBm25 = Math.max(maxBm25, sd.score);
            }
        }
        Map<Integer, Candidate> byExpert = new HashMap<>();
        for (Map.Entry<Integer, double[]> e : docs.entrySet()) {
            int doc = e.getKey();
            double[] d = e.getValue();
            double fused = (d[0] > 0 ? 1.0 / (s.rrfK() + d[0]) : 0) + (d[2] > 0 ? 1.0 / (s.rrfK() + d[2]) : 0);
            int expert = index.expertOfDoc[doc];
            Candidate c = byExpert.computeIfAbsent(expert, x -> new Candidate(x, index.experts[x]));
            c.hits.add(new Hit(doc, fused, (int) d[0], d[1], (int) d[2], d[3]));
        }
        long now = q.asOf() == null ? index.newest() : q.asOf() - 1;
        long windowStart = now - (long) (s.activityDays() * DAY_MILLIS);
        addPriorCandidates(index, q.tags(), s.priorCandidates(), now, windowStart, byExpert);
        // computed even when its weight is 0: the re-ranker's features include it (under a millisecond per
        // question on the dev set); it widens the pool only when it counts in the unlearned order
        double[] model1 = index.candidateModel.scores(q.text(), q.tags(), now, CandidateModel.Params.DEFAULTS);
        if (s.candidateModelWeight() > 0) {
            addTopByScore(index, model1, s.priorCandidates(), byExpert);
        }
        List<Candidate> candidates = new ArrayList<>(byExpert.values());
        int windowAnswers = index.allAnswersBetween(windowStart, now);
        for (Candidate c : candidates) {
            c.hits.sort(Comparator.comparingDouble(Hit::fused).reversed().thenComparingInt(Hit::doc));
            matchFeatures(c);
            double sum = 0;
            for (int i = 0; i < Math.min(s.docsPerExpert(), c.hits.size()); i++) {
                sum += c.hits.get(i).fused();
            }
            c.fused = sum;
            long last = index.lastAnswerAtOrBefore(c.expert, now);
            c.daysSinceLast = last == Long.MIN_VALUE ? 10_000 : Math.max(0, (now - last) / DAY_MILLIS);
            c.recency = Math.exp(-LN2 * c.daysSinceLast / s.halfLifeDays());
            c.activity = index.answersBetween(c.expert, windowStart, now);
            c.activityShare = windowAnswers == 0 ? 0 : c.activity / windowAnswers;
            c.answers = index.answersAtOrBefore(c.expert, now);
            tagFeatures(index, c, q.tags(), now, windowStart, s.tagHalfLifeDays());
            c.documentModel = sum
                    * (1 + s.recencyWeight() * c.recency)
                    * (1 + s.activityWeight() * Math.log1p(c.activity))
                    * tagPrior(c, q.tags(), s);
            c.candidateModel = model1[c.expert];
        }
        fuseModels(candidates, s.candidateModelWeight());
        candidates.sort(Comparator.comparingDouble((Candidate c) -> c.unlearned)
                .reversed()
                .thenComparing(c -> c.name));
        for (int i = 0; i < candidates.size(); i++) {
            candidates.get(i).unlearnedRank = i + 1;
        }
        return new Ranking(candidates, maxBm25);
    }

    /**
     * Reciprocal-rank constant of the fusion of the two expert rankings (document model and candidate model).
     * Chosen with the weight on the training part's frozen-block questions, never the holdout ({@code RankingLab};
     * k from 1 to 60 and weights 0.3 to 0.7 lie within 0.015 MRR@10 of each other there; docs/benchmarks.md).
     */
    static final int MODEL_FUSION_K = 20;

    /**
     * The unlearned score: the document model's and the candidate model's expert rankings fused by weighted
     * reciprocal rank, (1 - w) / (k + document rank) + w / (k + candidate rank). Ranks, not scores, because the
     * two are on unrelated scales (a product of priors and RRF sums; a log-likelihood). With weight 0 the order
     * is the document model's, as before the candidate model existed.
     */
    static void fuseModels(List<Candidate> candidates, double weight) {
        candidates.sort(Comparator.comparingDouble((Candidate c) -> c.documentModel)
                .reversed()
                .thenComparing(c -> c.name));
        for (int i = 0; i < candidates.size(); i++) {
            candidates.get(i).documentModelRank = i + 1;
        }
        candidates.sort(Comparator.comparingDouble((Candidate c) -> c.candidateModel)
                .reversed()
                .thenComparing(c -> c.name));
        double best = candidates.isEmpty() ? 0 : candidates.get(0).candidateModel;
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            c.candidateModelRank = i + 1;
            c.bestCandidateModel = best;
        }
        for (Candidate c : candidates) {
            c.unlearned = weight == 0
                    ? c.documentModel
                    : (1 - weight) / (MODEL_FUSION_K + c.documentModelRank)
                            + weight / (MODEL_FUSION_K + c.candidateModelRank);
            c.score = c.unlearned;
        }
    }

    /** Adds the {@code n} experts with the highest {@code score} (experts scoring -infinity are never added). */
    private static void addTopByScore(ExpertIndex index, double[] score, int n, Map<Integer, Candidate> byExpert) {
        for (int e : best(index, n, index.everyExpert, e -> score[e], Double.NEGATIVE_INFINITY)) {
            byExpert.computeIfAbsent(e, x -> new Candidate(x, index.experts[x]));
        }
    }

    /**
     * The {@code n} experts {@code among} those given with the highest {@code value} above {@code floor}, ties to
     * the earlier name: the first {@code n} of them sorted that way, found without sorting them all (a bounded
     * heap whose head is the weakest kept; every question asks this of every expert, several times).
     */
    static int[] best(
            ExpertIndex index, int n, int[] among, java.util.function.IntToDoubleFunction value, double floor) {
        if (n <= 0) {
            return new int[0];
        }
        double[] values = new double[index.experts.length];
        Comparator<Integer> weakestFirst = (a, b) -> {
            int byValue = Double.compare(values[a], values[b]);
            return byValue != 0 ? byValue : index.experts[b].compareTo(index.experts[a]);
        };
        java.util.PriorityQueue<Integer> kept = new java.util.PriorityQueue<>(n + 1, weakestFirst);
        for (int e : among) {
            values[e] = value.applyAsDouble(e);
            if (!(values[e] > floor)) {
                continue;
            }
            if (kept.size() < n) {
                kept.add(e);
            } else if (weakestFirst.compare(e, kept.peek()) > 0) {
                kept.poll();
                kept.add(e);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Candidate-model side of the pool: besides the experts whose answers matched, the {@code perList} most
     * active experts of the window and, for each question tag, the {@code perList} with the most recent
     * answers carrying it (an expert can be the right person without a textually similar past answer).
     */
    static void addPriorCandidates(
            ExpertIndex index,
            List<String> tags,
            int perList,
            long now,
            long windowStart,
            Map<Integer, Candidate> byExpert) {
        if (perList <= 0) {
            return;
        }
        addTop(index, perList, index.everyExpert, e -> index.answersBetween(e, windowStart, now), byExpert);
        for (String tag : tags) {
            int[] taggers = index.expertsByTag.getOrDefault(tag, new int[0]);
            addTop(index, perList, taggers, e -> index.tagAnswersBetween(e, tag, windowStart, now), byExpert);
        }
    }

    private static void addTop(
            ExpertIndex index,
            int n,
            int[] among,
            java.util.function.IntUnaryOperator count,
            Map<Integer, Candidate> byExpert) {
        for (int e : best(index, n, among, count::applyAsInt, 0)) {
            byExpert.computeIfAbsent(e, x -> new Candidate(x, index.experts[x]));
        }
    }

    /**
     * The per-expert tag model as a prior: (time-decayed answers on the question's tags + {@link
     * #TAG_ACTIVITY_PSEUDO_COUNT})^{@code tagActivityWeight}. The pseudo-count keeps an expert new to the tags in
     * the ranking (at the weight of a tenth of one fresh answer); a question without tags gives every expert the
     * same factor, so the ranking is then unchanged.
     */
    static double tagPrior(Candidate c, List<String> tags, RankingSettings s) {
        if (tags.isEmpty() || s.tagActivityWeight() == 0) {
            return 1;
        }
        return Math.pow(c.tagActivity + TAG_ACTIVITY_PSEUDO_COUNT, s.tagActivityWeight());
    }

    /** Counts and best/mean scores of the candidate's matching answers (hits sorted best fused first). */
    private static void matchFeatures(Candidate c) {
        List<Double> cos = new ArrayList<>();
        List<Double> bm = new ArrayList<>();
        for (Hit h : c.hits) {
            if (h.knnRank() > 0) {
                c.knnAnswers++;
                c.bestKnn = Math.max(c.bestKnn, h.knnScore());
                cos.add(h.knnScore());
            }
            if (h.bm25Rank() > 0) {
                c.bm25Answers++;
                c.bestBm25 = Math.max(c.bestBm25, h.bm25Score());
                bm.add(h.bm25Score());
            }
        }
        c.meanKnnTop3 = meanOfTop(cos, 3);
        c.meanBm25Top3 = meanOfTop(bm, 3);
    }

    /** Mean of the best {@code k} values, counting missing ones as 0 (fewer matches weigh less). */
    static double meanOfTop(List<Double> values, int k) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.reverseOrder());
        double sum = 0;
        for (int i = 0; i < Math.min(k, sorted.size()); i++) {
            sum += sorted.get(i);
        }
        return sum / k;
    }

    /** Tag statistics of the candidate as of {@code now}: nothing after the question counts. */
    static void tagFeatures(
            ExpertIndex index, Candidate c, List<String> tags, long now, long windowStart, double tagHalfLifeDays) {
        c.queryTags = tags.size();
        if (tags.isEmpty()) {
            return;
        }
        double answers = index.answersAtOrBefore(c.expert, now);
        double rate = 0, share = 0, recentShare = 0, recent = 0;
        for (String tag : tags) {
            int mine = index.tagAnswersBetween(c.expert, tag, Long.MIN_VALUE, now);
            int all = index.tagAnswersBetween(tag, Long.MIN_VALUE, now);
            int mineRecent = index.tagAnswersBetween(c.expert, tag, windowStart, now);
            int allRecent = index.tagAnswersBetween(tag, windowStart, now);
            rate += answers == 0 ? 0 : mine / answers;
            share += all == 0 ? 0 : (double) mine / all;
            recentShare += allRecent == 0 ? 0 : (double) mineRecent / allRecent;
            recent += mineRecent;
            if (tagHalfLifeDays > 0) {
                c.tagActivity += index.decayedTagAnswers(c.expert, tag, now, tagHalfLifeDays);
            }
        }
        c.tagOverlap = rate / tags.size();
        c.tagShare = share / tags.size();
        c.recentTagShare = recentShare / tags.size();
        c.recentTagAnswers = recent;
    }

    /** BM25 over the text, OR-ed; each query tag is a boosted exact term on the tags field. */
    static Query keywordQuery(ExpertIndex index, Question q, double tagBoost) {
        Query textQuery = new QueryBuilder(index.analyzer())
                .createBooleanQuery(
                        ExpertIndex.TEXT,
                        queryText(
                                index,
                                q.text(),
                                Math.max(1, MAX_TEXT_CLAUSES - q.tags().size())));
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        boolean any = false;
        if (textQuery != null) {
            b.add(textQuery, BooleanClause.Occur.SHOULD);
            any = true;
        }
        if (tagBoost > 0) {
            for (String tag : q.tags()) {
                b.add(
                        new BoostQuery(new TermQuery(new Term(ExpertIndex.TAGS, tag)), (float) tagBoost),
                        BooleanClause.Occur.SHOULD);
                any = true;
            }
        }
        return any ? b.build() : null;
    }

    /** BM25 over the text only (the "BM25 with votes per author" baseline's query). */
    static Query textOnly(ExpertIndex index, String text) {
        return new QueryBuilder(index.analyzer())
                .createBooleanQuery(ExpertIndex.TEXT, queryText(index, text, MAX_TEXT_CLAUSES));
    }

    /**
     * The part of a question the keyword query reads: its first {@link #MAX_QUERY_CHARS} characters, cut further
     * after the token that would take the query past {@code maxTerms} clauses. Each token is one clause, and
     * Lucene refuses a query of more than {@link IndexSearcher#getMaxClauseCount()}: 3,000 characters of
     * one-letter words would be 1,500.
     */
    static String queryText(ExpertIndex index, String text, int maxTerms) {
        String cut = text.length() > MAX_QUERY_CHARS ? text.substring(0, MAX_QUERY_CHARS) : text;
        try (TokenStream tokens = index.analyzer().tokenStream(ExpertIndex.TEXT, cut)) {
            OffsetAttribute offset = tokens.addAttribute(OffsetAttribute.class);
            tokens.reset();
            int count = 0;
            while (tokens.incrementToken()) {
                if (++count == maxTerms) {
                    return cut.substring(0, offset.endOffset());
                }
            }
            tokens.end();
            return cut;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
