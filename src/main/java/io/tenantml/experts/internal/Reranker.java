package io.tenantml.experts.internal;

import io.tenantml.feature.FeatureTransform;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The learned re-ranker: an XGBoost {@code rank:ndcg} model over the unlearned ranking's top candidates
 * ({@link ExpertRanker#FEATURE_NAMES}), one query group per training question, the author labelled 1.
 * Re-orders the top {@link #DEPTH} candidates; those below keep their unlearned order.
 */
public final class Reranker implements AutoCloseable {

    /** Every re-ranker feature is a number (scores, ranks, counts); XGBoost's "q". */
    private static final String[] QUANTITATIVE = quantitative();

    private static String[] quantitative() {
        String[] types = new String[ExpertRanker.FEATURES];
        java.util.Arrays.fill(types, "q");
        return types;
    }

    /** Candidates per question that the model learns from and re-orders. */
    public static final int DEPTH = 30;

    /**
     * Boosting rounds and the regularisation below were chosen on the training part's last block (see
     * docs/benchmarks.md): shallow trees with at least 10 weight per leaf, a smaller step and an L2 penalty
     * generalise from one period's questions to the next better than the first settings (depth 4, 120 rounds
     * at 0.1), which learned period-specific splits.
     */
    private static final int ROUNDS = 150;

    private final Booster booster;

    private Reranker(Booster booster) {
        this.booster = booster;
    }

    /** One training question's candidates (best unlearned first) and the index of the author among them. */
    public record Group(ExpertRanker.Ranking ranking, int relevant) {}

    /** Trains on groups whose author is among the top {@link #DEPTH}; null when there are too few. */
    public static Reranker train(List<Group> groups, long seed, int threads) throws XGBoostError {
        List<float[]> rows = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (Group g : groups) {
            List<ExpertRanker.Candidate> top = top(g.ranking());
            if (g.relevant() < 0 || g.relevant() >= top.size() || top.size() < 2) {
                continue;
            }
            for (int i = 0; i < top.size(); i++) {
                rows.add(top.get(i).features(g.ranking().maxBm25()));
                labels.add(i == g.relevant() ? 1f : 0f);
            }
            sizes.add(top.size());
        }
        if (sizes.size() < 50) {
            return null;
        }
        float[] data = new float[rows.size() * ExpertRanker.FEATURES];
        float[] label = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, data, i * ExpertRanker.FEATURES, ExpertRanker.FEATURES);
            label[i] = labels.get(i);
        }
        DMatrix matrix = FeatureTransform.positionalMatrix(data, rows.size(), ExpertRanker.FEATURES, QUANTITATIVE);
        try {
            matrix.setLabel(label);
            matrix.setGroup(sizes.stream().mapToInt(Integer::intValue).toArray());
            Map<String, Object> params = new HashMap<>();
            params.put("objective", "rank:ndcg");
            params.put("eval_metric", "ndcg@10");
            params.put("eta", 0.05);
            params.put("max_depth", 3);
            params.put("min_child_weight", 10);
            params.put("lambda", 5.0);
            params.put("subsample", 0.8);
            params.put("colsample_bytree", 0.9);
            params.put("seed", seed);
            params.put("nthread", threads);
            params.put("verbosity", 0);
            Booster booster = XGBoost.train(matrix, params, ROUNDS, Map.of(), null, null);
            return new Reranker(booster);
        } finally {
            matrix.dispose();
        }
    }

    /**
     * A stored re-ranker, or null when it was trained on another feature set (a generation built before the
     * features changed): its generation then serves the unlearned ranking rather than misread features.
     */
    public static Reranker load(byte[] bytes) throws XGBoostError, java.io.IOException {
        Booster booster = XGBoost.loadModel(bytes);
        if (booster.getNumFeature() != ExpertRanker.FEATURES) {
            booster.dispose();
            return null;
        }
        booster.setParam("nthread", 1);
        return new Reranker(booster);
    }

    public byte[] bytes() throws XGBoostError {
        return booster.toByteArray("ubj");
    }

    /** Re-orders the top candidates by the model's score (written to each candidate's {@code score}). */
    public List<ExpertRanker.Candidate> rerank(ExpertRanker.Ranking ranking) {
        List<ExpertRanker.Candidate> all = ranking.candidates();
        List<ExpertRanker.Candidate> top = top(ranking);
        if (top.size() < 2) {
            return all;
        }
        float[] data = new float[top.size() * ExpertRanker.FEATURES];
        for (int i = 0; i < top.size(); i++) {
            System.arraycopy(
                    top.get(i).features(ranking.maxBm25()), 0, data, i * ExpertRanker.FEATURES, ExpertRanker.FEATURES);
        }
        float[][] scores;
        try {
            DMatrix matrix = FeatureTransform.positionalMatrix(data, top.size(), ExpertRanker.FEATURES, QUANTITATIVE);
            try {
                synchronized (booster) {
                    scores = booster.predict(matrix);
                }
            } finally {
                matrix.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("re-ranker failed: " + e.getMessage(), e);
        }
        List<ExpertRanker.Candidate> reordered = new ArrayList<>(top);
        for (int i = 0; i < top.size(); i++) {
            top.get(i).score = scores[i][0];
        }
        reordered.sort(Comparator.comparingDouble((ExpertRanker.Candidate c) -> c.score)
                .reversed()
                .thenComparingInt(c -> c.unlearnedRank));
        List<ExpertRanker.Candidate> result = new ArrayList<>(all.size());
        result.addAll(reordered);
        result.addAll(all.subList(top.size(), all.size()));
        return result;
    }

    private static List<ExpertRanker.Candidate> top(ExpertRanker.Ranking ranking) {
        List<ExpertRanker.Candidate> all = ranking.candidates();
        return all.subList(0, Math.min(DEPTH, all.size()));
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
