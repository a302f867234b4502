package io.tenantml.monitoring.internal;

import io.tenantml.feature.FeatureInput;
import io.tenantml.feature.FeatureKind;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.feature.ValueKind;
import io.tenantml.model.Objective;
import io.tenantml.model.TargetEncoding;
import io.tenantml.monitoring.LogRecord;
import io.tenantml.statistics.ColumnSketch;
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
        int f = 0;
        for (FeatureInput input : transform.inputs()) {
            for (int part = 0; part < input.width(); part++, f++) {
                boolean categorical = input.kind() == FeatureKind.CATEGORICAL;
                features[f] = new ColumnSketch(categorical ? ColumnSketch.Kind.CATEGORICAL : ColumnSketch.Kind.NUMERIC);
                categories[f] = categorical ? input.categories().toArray(String[]::new) : null;
                table.add(FEATURE + names[f], features[f]);
            }
        }
        List<FeatureInput> inputs = transform.inputs();
        this.kinds = new ColumnSketch[inputs.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = new ColumnSketch(ColumnSketch.Kind.CATEGORICAL);
            table.add(KINDS + inputs.get(i).column(), kinds[i]);
        }
        this.outputs = new ColumnSketch[outputNames.size()];
        for (int o = 0; o < outputs.length; o++) {
            outputs[o] = new ColumnSketch(ColumnSketch.Kind.NUMERIC);
            table.add(OUTPUT + outputNames.get(o), outputs[o]);
        }
        boolean classifier = target.objective() != Objective.REGRESSION && target.classes() != null;
        this.classes = classifier ? target.classes() : null;
        this.binary = target.objective() == Objective.BINARY;
        this.predicted = classifier ? new ColumnSketch(ColumnSketch.Kind.CATEGORICAL) : null;
        if (predicted != null) {
            table.add(PREDICTED, predicted);
        }
    }

    public void add(LogRecord record) {
        records++;
        represented += record.sampledEvery();
        ValueKind[] k = record.kinds();
        for (int i = 0; i < kinds.length && i < k.length; i++) {
            kinds[i].add(KIND_NAMES[k[i].ordinal()]);
        }
        if (!record.scored()) {
            return; // a refused record counts for skew only: its features were never what the model saw
        }
        scored++;
        float[] values = record.features();
        if (values.length == width) {
            for (int f = 0; f < width; f++) {
                float v = values[f];
                if (Float.isNaN(v)) {
                    features[f].addMissing();
                } else if (categories[f] == null) {
                    features[f].add(v);
                } else {
                    int code = (int) v;
                    if (code >= 0 && code < categories[f].length) {
                        features[f].add(categories[f][code]);
                    } else {
                        features[f].addMissing();
                    }
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
        return table;
    }
}
