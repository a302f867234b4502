package io.tenantml.monitoring;

import io.tenantml.statistics.FrequentValuesSketch;
import io.tenantml.statistics.QuantileSketch;
import io.tenantml.statistics.ValueFrequency;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A version's reference profile as clients read it: per feature and per output, quantiles (numeric) or the most
 * frequent categories (categorical) read from the stored sketches, with the sketches' error bounds; the
 * validation metrics with their intervals; provenance. The sketches themselves stay on the server.
 *
 * @param validationSampleRows validation rows kept row by row for CBPE (0: none, no estimate without labels)
 */
public record ReferenceView(
        String model,
        int version,
        List<Feature> features,
        Validation validation,
        Map<String, ReferenceProfile.MetricEstimate> metrics,
        ReferenceProfile.ReferenceProvenance provenance,
        int validationSampleRows) {

    /** The ranks at which numeric quantiles are shown. */
    public static final double[] RANKS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    /** Most categories shown per categorical feature. */
    public static final int TOP_CATEGORIES = 50;

    /**
     * @param numeric     for numeric features: the non-missing values' distribution; else null
     * @param categorical for categorical features: the most frequent categories; else null
     */
    public record Feature(
            String feature,
            String column,
            FeatureKind kind,
            long rows,
            long missing,
            Numeric numeric,
            Categorical categorical) {}

    /**
     * @param min        null when there are no values
     * @param quantiles  rank (as text, e.g. "0.5") to value
     * @param rankError  the sketch's normalized rank error (0 when it holds every value)
     */
    public record Numeric(long count, Double min, Double max, Map<String, Double> quantiles, double rankError) {}

    /**
     * @param total        values counted
     * @param top          the most frequent categories, most frequent first (at most {@link #TOP_CATEGORIES})
     * @param maxCountError largest error of any count (0: exact)
     */
    public record Categorical(long total, List<ValueFrequency> top, long maxCountError) {}

    /**
     * @param outputs     per output (score, or each class): its distribution on the validation rows
     * @param labels      classifiers: the labels' classes; null for regression
     * @param labelValues regression: the labels' distribution; null for classifiers
     */
    public record Validation(long rows, Map<String, Numeric> outputs, Categorical labels, Numeric labelValues) {}

    public static ReferenceView of(String model, int version, ReferenceProfile p) {
        List<Feature> features = new ArrayList<>();
        for (ReferenceProfile.FeatureReference f : p.features()) {
            features.add(new Feature(
                    f.feature(),
                    f.column(),
                    f.kind(),
                    f.rows(),
                    f.missing(),
                    f.quantiles() == null ? null : numeric(f.quantiles()),
                    f.categories() == null ? null : categorical(f.categories())));
        }
        ReferenceProfile.ValidationReference v = p.validation();
        Map<String, Numeric> outputs = new LinkedHashMap<>();
        for (int o = 0; o < v.outputNames().size(); o++) {
            outputs.put(v.outputNames().get(o), numeric(v.outputs().get(o)));
        }
        return new ReferenceView(
                model,
                version,
                features,
                new Validation(
                        v.rows(),
                        outputs,
                        v.labelClasses() == null ? null : categorical(v.labelClasses()),
                        v.labelValues() == null ? null : numeric(v.labelValues())),
                p.metrics(),
                p.provenance(),
                p.validationSample() == null ? 0 : p.validationSample().rows());
    }

    private static Numeric numeric(QuantileSketch s) {
        if (s.isEmpty()) {
            return new Numeric(0, null, null, Map.of(), 0);
        }
        Map<String, Double> quantiles = new LinkedHashMap<>();
        double[] values = s.quantiles(RANKS);
        for (int i = 0; i < RANKS.length; i++) {
            quantiles.put(Double.toString(RANKS[i]), values[i]);
        }
        return new Numeric(s.count(), s.min(), s.max(), quantiles, s.isExact() ? 0 : s.normalizedRankError());
    }

    private static Categorical categorical(FrequentValuesSketch s) {
        return new Categorical(s.total(), s.mostFrequent(TOP_CATEGORIES), s.maximumError());
    }
}
