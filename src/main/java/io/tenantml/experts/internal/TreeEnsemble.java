package io.tenantml.experts.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * A re-ranker's trees walked in Java, read from the model's JSON (XGBoost's documented model schema): the same
 * margins as XGBoost's own prediction, without its native call. Through XGBoost4J that call costs about 75 µs
 * whatever the model's size (measured on one tree and one row), more than walking 150 shallow trees for a
 * question's 30 candidates, and it was the largest part of what a recommendation adds to its searches.
 *
 * <p>Only what the re-ranker trains is read: one output, numerical splits on a tree booster ("gbtree"). Any other
 * model ({@link #of} is empty) is scored by XGBoost. Sums are taken as XGBoost takes them: in float, starting
 * from the base margin, tree after tree; a split sends a value below its condition left and a missing value
 * (NaN) its default way. {@code TreeEnsembleTest} checks equality with XGBoost's predictions to the bit.
 */
final class TreeEnsemble {

    /** Numbers as written (a float's text read as a double first could round twice). */
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Objectives whose margin is the prediction (no link function), so the base score is the base margin. */
    private static final java.util.Set<String> IDENTITY_LINK =
            java.util.Set.of("rank:ndcg", "rank:pairwise", "rank:map");

    private final float baseMargin;
    private final int features;
    private final Tree[] trees;

    private record Tree(int[] left, int[] right, int[] feature, float[] condition, boolean[] defaultLeft) {

        float leaf(float[] data, int row, int width) {
            int node = 0;
            while (left[node] != -1) {
                float value = data[row * width + feature[node]];
                boolean goLeft = Float.isNaN(value) ? defaultLeft[node] : value < condition[node];
                node = goLeft ? left[node] : right[node];
            }
            return condition[node]; // a leaf keeps its value where a split keeps its condition
        }
    }

    private TreeEnsemble(float baseMargin, int features, Tree[] trees) {
        this.baseMargin = baseMargin;
        this.features = features;
        this.trees = trees;
    }

    /** The ensemble of an XGBoost model in JSON, or empty when the model is not one this class can walk. */
    static Optional<TreeEnsemble> of(byte[] json) throws IOException {
        JsonNode learner = JSON.readTree(json).path("learner");
        JsonNode params = learner.path("learner_model_param");
        JsonNode booster = learner.path("gradient_booster");
        String objective = learner.path("objective").path("name").asText();
        if (!"gbtree".equals(booster.path("name").asText())
                || !IDENTITY_LINK.contains(objective)
                || params.path("num_class").asInt(-1) != 0
                || params.path("num_target").asInt(1) != 1) {
            return Optional.empty();
        }
        // written as "5E-1" by older versions and as a one-element list "[5E-1]" since vector intercepts
        String base = params.path("base_score").asText().replace("[", "").replace("]", "");
        JsonNode model = booster.path("model");
        JsonNode treeNodes = model.path("trees");
        Tree[] trees = new Tree[treeNodes.size()];
        for (int t = 0; t < trees.length; t++) {
            JsonNode tree = treeNodes.get(t);
            for (JsonNode type : tree.path("split_type")) {
                if (type.asInt() != 0) {
                    return Optional.empty(); // a categorical split
                }
            }
            int[] left = ints(tree.path("left_children"));
            boolean[] defaultLeft = new boolean[left.length];
            for (int i = 0; i < left.length; i++) {
                defaultLeft[i] = tree.path("default_left").get(i).asInt() != 0;
            }
            trees[t] = new Tree(
                    left,
                    ints(tree.path("right_children")),
                    ints(tree.path("split_indices")),
                    floats(tree.path("split_conditions")),
                    defaultLeft);
        }
        return Optional.of(new TreeEnsemble(
                Float.parseFloat(base), params.path("num_feature").asInt(), trees));
    }

    /** The margin of each of {@code rows} rows of {@code width} values, row-major. */
    float[] predict(float[] data, int rows, int width) {
        if (width != features || data.length != rows * width) {
            throw new IllegalArgumentException(
                    "expected " + rows + " rows of " + features + " features, got " + data.length + " values");
        }
        float[] out = new float[rows];
        for (int row = 0; row < rows; row++) {
            float sum = baseMargin;
            for (Tree tree : trees) {
                sum += tree.leaf(data, row, width);
            }
            out[row] = sum;
        }
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            // XGBoost writes the float's shortest decimal form, which read as a float is the float itself
            out[i] = Float.parseFloat(array.get(i).asText());
        }
        return out;
    }
}
