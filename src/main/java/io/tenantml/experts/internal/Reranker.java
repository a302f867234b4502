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

    /** The booster's trees walked in Java; null when it holds a model they cannot be (XGBoost then scores). */
    private final TreeEnsemble trees;

    private Reranker(Booster booster) throws XGBoostError {
        this.booster = booster;
        try {
            this.trees = TreeEnsemble.of(booster.toByteArray("json")).orElse(null);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("re-ranker model is not readable JSON: " + e.getMessage(), e);
        }
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
            return wrap(XGBoost.train(matrix, params, ROUNDS, Map.of(), null, null));
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
        return wrap(booster);
    }

    private static Reranker wrap(Booster booster) throws XGBoostError {
        try {
            return new Reranker(booster);
        } catch (XGBoostError | RuntimeException e) {
            booster.dispose();
            throw e;
        }
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
        float[] scores = score(data, top.size());
        List<ExpertRanker.Candidate> reordered = new ArrayList<>(top);
        for (int i = 0; i < top.size(); i++) {
            top.get(i).score = scores[i];
        }
        reordered.sort(Comparator.comparingDouble((ExpertRanker.Candidate c) -> c.score)
                .reversed()
                .thenComparingInt(c -> c.unlearnedRank));
        List<ExpertRanker.Candidate> result = new ArrayList<>(all.size());
        result.addAll(reordered);
        result.addAll(all.subList(top.size(), all.size()));
        return result;
    }

    /** The model's score of each row: its trees walked in Java, or XGBoost's prediction when they cannot be. */
    float[] score(float[] data, int rows) {
        if (trees != null) {
            return trees.predict(data, rows, ExpertRanker.FEATURES);
        }
        float[][] predicted;
        try {
            // in place, as model serving predicts (Scorer): no DMatrix built with every core and freed per
            // question; every feature is a number, which is what XGBoost assumes without feature types
            synchronized (booster) {
                predicted = booster.inplace_predict(data, rows, ExpertRanker.FEATURES, Float.NaN);
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("re-ranker failed: " + e.getMessage(), e);
        }
        float[] out = new float[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = predicted[i][0];
        }
        return out;
    }

    /** Whether the trees are walked in Java (false: XGBoost predicts). */
    boolean walksTrees() {
        return trees != null;
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
