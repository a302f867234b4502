package io.tenantml.experts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** The re-ranker's trees walked in Java give XGBoost's own scores, to the bit. */
class TreeEnsembleTest {

    private static final int WIDTH = ExpertRanker.FEATURES;

    @Test
    void shouldScoreEveryRowExactlyAsXGBoostIncludingValuesOnASplitAndMissingOnes() throws Exception {
        long seed = 3;
        Random random = new Random(seed);
        Booster booster = train(random, "rank:ndcg");
        try (Reranker reranker = Reranker.load(booster.toByteArray("ubj"))) {
            assertThat(reranker.walksTrees()).isTrue();
            float[] conditions = splitConditions(booster);
            int rows = 3000;
            float[] data = new float[rows * WIDTH];
            for (int i = 0; i < data.length; i++) {
                int kind = random.nextInt(10);
                // a value exactly on some split's condition tests "<" against "<="; NaN tests default directions
                data[i] = kind == 0
                        ? Float.NaN
                        : kind < 4 ? conditions[random.nextInt(conditions.length)] : random.nextFloat();
            }
            float[][] expected = booster.inplace_predict(data, rows, WIDTH, Float.NaN);
            float[] actual = reranker.score(data, rows);
            for (int r = 0; r < rows; r++) {
                assertThat(Float.floatToIntBits(actual[r]))
                        .as("seed %d, row %d: %s against XGBoost's %s", seed, r, actual[r], expected[r][0])
                        .isEqualTo(Float.floatToIntBits(expected[r][0]));
            }
        } finally {
            booster.dispose();
        }
    }

    @Test
    void shouldLeaveAModelWithALinkFunctionToXGBoost() throws Exception {
        Random random = new Random(5);
        Booster booster = train(random, "binary:logistic");
        try (Reranker reranker = Reranker.load(booster.toByteArray("ubj"))) {
            assertThat(TreeEnsemble.of(booster.toByteArray("json"))).isEmpty();
            assertThat(reranker.walksTrees()).isFalse();
            float[] data = new float[30 * WIDTH];
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextFloat();
            }
            float[][] expected = booster.inplace_predict(data, 30, WIDTH, Float.NaN);
            float[] actual = reranker.score(data, 30);
            for (int r = 0; r < 30; r++) {
                assertThat(actual[r]).as("seed 5, row %d", r).isEqualTo(expected[r][0]);
            }
        } finally {
            booster.dispose();
        }
    }

    /** A shallow model like the re-ranker's, on random groups with some values missing. */
    private static Booster train(Random random, String objective) throws Exception {
        int groups = 100;
        int perGroup = 10;
        int rows = groups * perGroup;
        float[] data = new float[rows * WIDTH];
        float[] labels = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < WIDTH; f++) {
                data[r * WIDTH + f] = random.nextInt(8) == 0 ? Float.NaN : random.nextFloat();
            }
            labels[r] = data[r * WIDTH] + data[r * WIDTH + 1] > 1 ? 1 : 0;
        }
        int[] sizes = new int[groups];
        java.util.Arrays.fill(sizes, perGroup);
        DMatrix matrix = new DMatrix(data, rows, WIDTH, Float.NaN);
        try {
            matrix.setLabel(labels);
            if (objective.startsWith("rank:")) {
                matrix.setGroup(sizes);
            }
            Map<String, Object> params = new HashMap<>();
            params.put("objective", objective);
            // ranking objectives start from 0 unless told otherwise: a base score of its own checks it is added
            params.put("base_score", 0.25);
            params.put("max_depth", 3);
            params.put("eta", 0.1);
            params.put("seed", 1);
            params.put("nthread", 1);
            params.put("verbosity", 0);
            return XGBoost.train(matrix, params, 60, Map.of(), null, null);
        } finally {
            matrix.dispose();
        }
    }

    private static float[] splitConditions(Booster booster) throws Exception {
        List<Float> out = new ArrayList<>();
        var trees = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(booster.toByteArray("json"))
                .path("learner")
                .path("gradient_booster")
                .path("model")
                .path("trees");
        for (var tree : trees) {
            for (int i = 0; i < tree.path("left_children").size(); i++) {
                if (tree.path("left_children").get(i).asInt() != -1) {
                    out.add((float) tree.path("split_conditions").get(i).asDouble());
                }
            }
        }
        float[] conditions = new float[out.size()];
        for (int i = 0; i < conditions.length; i++) {
            conditions[i] = out.get(i);
        }
        return conditions;
    }
}
