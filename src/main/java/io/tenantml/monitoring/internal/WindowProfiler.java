package io.tenantml.monitoring.internal;

import io.tenantml.feature.FeatureInput;
import io.tenantml.feature.FeatureKind;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.feature.ValueKind;
import io.tenantml.model.Objective;
import io.tenantml.model.TargetEncoding;
import io.tenantml.monitoring.LogRecord;
import io.tenantml.statistics.ColumnSketch;
import io.tenantml.statistics.SketchSettings;
import io.tenantml.statistics.TableSketch;
import java.util.List;
import java.util.Objects;

/**
 * Profiles the logged predictions of one model version in one window into a mergeable {@link TableSketch}:
 *
 * <ul>
 *   <li>{@code f:<feature>} per encoded feature, the kind of sketch its reference keeps (numeric: KLL
 *       quantiles with exact moments; categorical: category names), NaN counted as missing;
 *   <li>{@code k:<input column>} per input, the counts of its raw values' {@link ValueKind}s (skew);
 *   <li>{@code o:<output>} per model output (the score, or each class's probability), numeric;
 *   <li>{@code c:predicted} for classifiers, the predicted class (argmax; binary: score ≥ 0.5).
 * </ul>
 *
 * Merging two profiles of the same version gives the profile of both windows' records (the sketches'
 * merge property), which is how days and weeks are made from hours. Not thread-safe.
 */
public final class WindowProfiler {

    public static final String FEATURE = "f:";
    public static final String KINDS = "k:";
    public static final String OUTPUT = "o:";
    public static final String PREDICTED = "c:predicted";

    /**
     * The window's sketches keep no distinct-count sketch: nothing judges a window by its distinct values
     * (a categorical feature's counts are exact anyway), and for a numeric value the HLL update cost about as
     * much as the quantile sketch and moments together. References keep theirs.
     */
    static final SketchSettings SKETCHES = SketchSettings.DEFAULTS_WITHOUT_DISTINCT_COUNT;

    private static final ValueKind[] KIND_VALUES = ValueKind.values();
    private static final String[] KIND_NAMES = new String[KIND_VALUES.length];

    static {
        for (ValueKind k : KIND_VALUES) {
            KIND_NAMES[k.ordinal()] = k.wireName();
        }
    }

    private final int width;
    private final ColumnSketch[] features;
    /** Category names per feature for categorical features; null for numeric ones. */
    private final String[][] categories;

    /**
     * Categorical features and value kinds are counted by code per record (an array increment) and handed to
     * their sketches once, when the profile is taken: the same sketch as adding each value, without a map
     * lookup per value. Per categorical feature: one slot per category (NaN and codes outside the dictionary
     * are missing).
     */
    private final long[][] categoryCounts;

    private final long[] categoryMissing;
    private final long[][] kindCounts;
    private final ColumnSketch[] kinds;
    private final ColumnSketch[] outputs;
    private final ColumnSketch predicted;
    private final List<String> classes;
    private final boolean binary;
    private final TableSketch table = new TableSketch();
    private long records;
    private long scored;
    private long represented;

    /**
     * @param outputNames the version's outputs as its reference names them ({@code score}, or each class)
     */
    public WindowProfiler(FeatureTransform transform, TargetEncoding target, List<String> outputNames) {
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(target, "target");
        String[] names = transform.featureNames();
        this.width = names.length;
        this.features = new ColumnSketch[width];
        this.categories = new String[width][];
        this.categoryCounts = new long[width][];
        this.categoryMissing = new long[width];
        int f = 0;
        for (FeatureInput input : transform.inputs()) {
            for (int part = 0; part < input.width(); part++, f++) {
                boolean categorical = input.kind() == FeatureKind.CATEGORICAL;
                features[f] = new ColumnSketch(
                        categorical ? ColumnSketch.Kind.CATEGORICAL : ColumnSketch.Kind.NUMERIC, SKETCHES);
                categories[f] = categorical ? input.categories().toArray(String[]::new) : null;
                categoryCounts[f] = categorical ? new long[categories[f].length] : null;
                table.add(FEATURE + names[f], features[f]);
            }
        }
        List<FeatureInput> inputs = transform.inputs();
        this.kinds = new ColumnSketch[inputs.size()];
        this.kindCounts = new long[inputs.size()][KIND_VALUES.length];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = new ColumnSketch(ColumnSketch.Kind.CATEGORICAL, SKETCHES);
            table.add(KINDS + inputs.get(i).column(), kinds[i]);
        }
        this.outputs = new ColumnSketch[outputNames.size()];
        for (int o = 0; o < outputs.length; o++) {
            outputs[o] = new ColumnSketch(ColumnSketch.Kind.NUMERIC, SKETCHES);
            table.add(OUTPUT + outputNames.get(o), outputs[o]);
        }
        boolean classifier = target.objective() != Objective.REGRESSION && target.classes() != null;
        this.classes = classifier ? target.classes() : null;
        this.binary = target.objective() == Objective.BINARY;
        this.predicted = classifier ? new ColumnSketch(ColumnSketch.Kind.CATEGORICAL, SKETCHES) : null;
        if (predicted != null) {
            table.add(PREDICTED, predicted);
        }
    }

    public void add(LogRecord record) {
        records++;
        represented += record.sampledEvery();
        ValueKind[] k = record.kinds();
        for (int i = 0; i < kinds.length && i < k.length; i++) {
            kindCounts[i][k[i].ordinal()]++;
        }
        if (!record.scored()) {
            return; // a refused record counts for skew only: its features were never what the model saw
        }
        scored++;
        float[] values = record.features();
        if (values.length == width) {
            for (int f = 0; f < width; f++) {
                float v = values[f];
                if (categories[f] != null) {
                    int code = (int) v; // NaN casts to 0: checked first
                    if (Float.isNaN(v)) {
                        categoryMissing[f]++;
                    } else if (code >= 0 && code < categories[f].length) {
                        categoryCounts[f][code]++;
                    } else {
                        categoryMissing[f]++;
                    }
                } else if (Float.isNaN(v)) {
                    features[f].addMissing();
                } else {
                    features[f].add(v);
                }
            }
        }
        float[] out = record.outputs();
        if (out.length == outputs.length) {
            for (int o = 0; o < out.length; o++) {
                if (Float.isFinite(out[o])) {
                    outputs[o].add(out[o]);
                } else {
                    outputs[o].addMissing();
                }
            }
            if (predicted != null && out.length > 0) {
                predicted.add(classes.get(predictedClass(out)));
            }
        }
    }

    private int predictedClass(float[] out) {
        if (binary) {
            return out[0] >= 0.5f ? 1 : 0;
        }
        int best = 0;
        for (int o = 1; o < out.length; o++) {
            if (out[o] > out[best]) {
                best = o;
            }
        }
        return Math.min(best, classes.size() - 1);
    }

    public long records() {
        return records;
    }

    public long scored() {
        return scored;
    }

    /** Predictions the records stand for (each record counts its "one in N"). */
    public long represented() {
        return represented;
    }

    /** The profile (this profiler's own sketches: do not add to it afterwards). */
    public TableSketch profile() {
        for (int f = 0; f < width; f++) {
            if (categoryCounts[f] != null) {
                for (int c = 0; c < categories[f].length; c++) {
                    features[f].add(categories[f][c], categoryCounts[f][c]);
                }
                features[f].addMissing(categoryMissing[f]);
                java.util.Arrays.fill(categoryCounts[f], 0);
                categoryMissing[f] = 0;
            }
        }
        for (int i = 0; i < kinds.length; i++) {
            for (int k = 0; k < KIND_VALUES.length; k++) {
                kinds[i].add(KIND_NAMES[k], kindCounts[i][k]);
            }
            java.util.Arrays.fill(kindCounts[i], 0);
        }
        return table;
    }
}
