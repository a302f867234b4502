package io.tenantml.experts.internal;

import io.tenantml.experts.RankingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * a recency and an activity prior. Every candidate expert also carries the features of the learned re-ranker.
 * Deterministic: the same index, query and settings give the same ranking on every node.
 */
public final class ExpertRanker {

    /** Query text is cut to this many characters: a BM25 clause per term must stay under Lucene's limit. */
    static final int MAX_QUERY_CHARS = 3000;

    private static final double LN2 = Math.log(2);
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

    /** Number of features per candidate, in {@link Candidate#features()} order. */
    public static final int FEATURES = 12;

    public static final List<String> FEATURE_NAMES = List.of(
            "fused",
            "best_fused",
            "best_cosine",
            "best_bm25_relative",
            "knn_answers",
            "bm25_answers",
            "recency",
            "activity_log",
            "answers_log",
            "tag_overlap",
            "unlearned_score",
            "unlearned_rank_inverse");

    /** A candidate expert with its unlearned score and the evidence behind it. */
    public static final class Candidate {
        public final int expert;
        public final String name;
        public final List<Hit> hits = new ArrayList<>();
        double fused;
        double bestKnn;
        double bestBm25;
        int knnAnswers;
        int bm25Answers;
        public double recency;
        public double activity;
        public double answers;
        public double tagOverlap;
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
                (float) (maxBm25 > 0 ? bestBm25 / maxBm25 : 0),
                knnAnswers,
                bm25Answers,
                (float) recency,
                (float) Math.log1p(activity),
                (float) Math.log1p(answers),
                (float) tagOverlap,
                (float) unlearned,
                (float) (1.0 / unlearnedRank)
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
            if (d[0] > 0) {
                c.knnAnswers++;
                c.bestKnn = Math.max(c.bestKnn, d[1]);
            }
            if (d[2] > 0) {
                c.bm25Answers++;
                c.bestBm25 = Math.max(c.bestBm25, d[3]);
            }
        }
        long now = q.asOf() == null ? index.newest() : q.asOf() - 1;
        List<Candidate> candidates = new ArrayList<>(byExpert.values());
        for (Candidate c : candidates) {
            c.hits.sort(Comparator.comparingDouble(Hit::fused).reversed().thenComparingInt(Hit::doc));
            double sum = 0;
            for (int i = 0; i < Math.min(s.docsPerExpert(), c.hits.size()); i++) {
                sum += c.hits.get(i).fused();
            }
            c.fused = sum;
            double days = Math.max(0, (now - index.lastAnswerAtOrBefore(c.expert, now)) / DAY_MILLIS);
            c.recency = Math.exp(-LN2 * days / s.halfLifeDays());
            c.activity = index.answersBetween(c.expert, now - (long) (s.activityDays() * DAY_MILLIS), now);
            c.answers = index.answersAtOrBefore(c.expert, now);
            c.tagOverlap = tagOverlap(index, c.expert, q.tags());
            c.unlearned = sum * (1 + s.recencyWeight() * c.recency) * (1 + s.activityWeight() * Math.log1p(c.activity));
            c.score = c.unlearned;
        }
        candidates.sort(Comparator.comparingDouble((Candidate c) -> c.unlearned)
                .reversed()
                .thenComparing(c -> c.name));
        for (int i = 0; i < candidates.size(); i++) {
            candidates.get(i).unlearnedRank = i + 1;
        }
        return new Ranking(candidates, maxBm25);
    }

    /** Share of the expert's answers carrying each query tag, averaged over the query's tags. */
    static double tagOverlap(ExpertIndex index, int expert, List<String> tags) {
        if (tags.isEmpty()) {
            return 0;
        }
        Map<String, Integer> counts = index.expertTags.get(expert);
        double total = index.expertTimes[expert].length;
        double sum = 0;
        for (String tag : tags) {
            sum += counts.getOrDefault(tag, 0) / total;
        }
        return sum / tags.size();
    }

    /** BM25 over the text, OR-ed; each query tag is a boosted exact term on the tags field. */
    static Query keywordQuery(ExpertIndex index, Question q, double tagBoost) {
        String text = q.text().length() > MAX_QUERY_CHARS ? q.text().substring(0, MAX_QUERY_CHARS) : q.text();
        Query textQuery = new QueryBuilder(index.analyzer()).createBooleanQuery(ExpertIndex.TEXT, text);
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
        String cut = text.length() > MAX_QUERY_CHARS ? text.substring(0, MAX_QUERY_CHARS) : text;
        return new QueryBuilder(index.analyzer()).createBooleanQuery(ExpertIndex.TEXT, cut);
    }
}
