package io.tenantml.experts.internal;

import io.tenantml.experts.RankerKind;
import io.tenantml.experts.ReasonKind;
import io.tenantml.experts.Recommendation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Ranks a question on an open generation and turns the ranked candidates into experts with evidence and reasons. */
public final class Explainer {

    static final int EVIDENCE = 3;

    private Explainer() {}

    /**
     * The top {@code k} experts of a question, skipping excluded ones and those {@code allowed} refuses (the daily
     * cap).
     */
    public static Recommendation recommend(
            Generation generation,
            String text,
            float[] vector,
            List<String> tags,
            int k,
            Set<String> exclude,
            Predicate<String> allowed,
            boolean explain) {
        ExpertIndex index = generation.index();
        ExpertRanker.Ranking ranking =
                ExpertRanker.rank(index, new ExpertRanker.Question(text, vector, tags, null), generation.settings());
        List<ExpertRanker.Candidate> ordered =
                generation.reranker() != null ? generation.reranker().rerank(ranking) : ranking.candidates();
        List<Recommendation.Expert> experts = new ArrayList<>();
        for (ExpertRanker.Candidate c : ordered) {
            if (experts.size() == k) {
                break;
            }
            if (exclude.contains(c.name) || !allowed.test(c.name)) {
                continue;
            }
            experts.add(expert(
                    index,
                    ranking,
                    c,
                    generation.reranker() != null,
                    explain,
                    generation.settings().activityDays(),
                    generation.settings().candidateModelWeight() > 0));
        }
        return new Recommendation(
                generation.build(),
                generation.reranker() != null ? RankerKind.RERANKED : RankerKind.UNLEARNED,
                experts);
    }

    private static Recommendation.Expert expert(
            ExpertIndex index,
            ExpertRanker.Ranking ranking,
            ExpertRanker.Candidate c,
            boolean learned,
            boolean explain,
            int activityDays,
            boolean candidateModel) {
        List<Recommendation.Evidence> evidence = new ArrayList<>();
        for (ExpertRanker.Hit hit : c.hits.subList(0, Math.min(EVIDENCE, c.hits.size()))) {
            evidence.add(new Recommendation.Evidence(
                    index.docIds[hit.doc()],
                    index.excerpt(hit.doc()),
                    Instant.ofEpochMilli(index.timeOfDoc[hit.doc()]),
                    round(hit.fused())));
        }
        List<Recommendation.Reason> reasons = new ArrayList<>();
        if (c.knnAnswers() > 0) {
            reasons.add(new Recommendation.Reason(
                    ReasonKind.SEMANTIC_MATCH,
                    c.knnAnswers() + " of their answers among the nearest by meaning (best cosine "
                            + String.format("%.2f", c.bestCosine()) + ")"));
        }
        if (c.bm25Answers() > 0) {
            reasons.add(new Recommendation.Reason(
                    ReasonKind.KEYWORD_MATCH,
                    c.bm25Answers() + " of their answers share the question's words (best BM25 "
                            + String.format("%.1f", c.bestBm25()) + ")"));
        }
        if (c.tagOverlap > 0) {
            reasons.add(new Recommendation.Reason(
                    ReasonKind.TAG_MATCH,
                    String.format("%.0f%% of their answers carry the question's tags", 100 * c.tagOverlap)));
        }
        if (candidateModel) {
            reasons.add(new Recommendation.Reason(
                    ReasonKind.PROFILE_MATCH,
                    "ranked " + c.candidateModelRank + " of "
                            + ranking.candidates().size()
                            + " by all their answers (candidate model), " + c.documentModelRank
                            + " by their best-matching answers"));
        }
        int generationActivityDays = activityDays;
        long lastDays = (index.newest() - index.lastAnswer(c.expert)) / 86_400_000L;
        reasons.add(new Recommendation.Reason(
                ReasonKind.RECENCY,
                "last answered " + lastDays + " days before the newest answer indexed (weight "
                        + String.format("%.2f", c.recency) + ")"));
        reasons.add(new Recommendation.Reason(
                ReasonKind.ACTIVITY,
                (long) c.activity + " answers in the last " + generationActivityDays + " days, " + (long) c.answers
                        + " in all"));
        if (learned) {
            reasons.add(new Recommendation.Reason(
                    ReasonKind.LEARNED_RANKING, "re-ranked by the learned model from position " + c.unlearnedRank));
        }
        Map<String, Double> features = null;
        if (explain) {
            features = new LinkedHashMap<>();
            float[] f = c.features(ranking.maxBm25());
            for (int i = 0; i < f.length; i++) {
                features.put(ExpertRanker.FEATURE_NAMES.get(i), round(f[i]));
            }
        }
        return new Recommendation.Expert(c.name, round(c.score), evidence, reasons, features);
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
