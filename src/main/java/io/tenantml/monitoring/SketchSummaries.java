package io.tenantml.monitoring;

import io.tenantml.statistics.FrequentValuesSketch;
import io.tenantml.statistics.Moments;
import io.tenantml.statistics.QuantileSketch;
import io.tenantml.statistics.ValueFrequency;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A profile's sketches as the drift rule reads them: the one conversion used by windows and by drift checks, so
 * that both judge a reference the same way.
 */
public final class SketchSummaries {

    private SketchSummaries() {}

    /** A numeric feature's KLL sketch, with moments read from the sketch's retained items. */
    public static NumericSummary numeric(QuantileSketch sketch) {
        if (sketch == null || sketch.isEmpty()) {
            return EmptyNumeric.INSTANCE;
        }
        return NumericSummary.of(sketch, Moments.ofWeighted(sketch.weightedValues()));
    }

    /** A categorical feature's frequent-values counts with their error bound. */
    public static CategoricalSummary categorical(FrequentValuesSketch sketch) {
        if (sketch == null || sketch.isEmpty()) {
            return emptyCategorical();
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ValueFrequency v : sketch.mostFrequent(Integer.MAX_VALUE)) {
            if (v.estimate() > 0) {
                counts.put(v.value(), v.estimate());
            }
        }
        long error = sketch.maximumError();
        return error == 0 ? CategoricalSummary.ofCounts(counts) : new CategoricalSummary(sketch.total(), counts, error);
    }

    /** No values of that kind: the rule calls it insufficient data before reading anything but the count. */
    public static FeatureSummary empty(FeatureKind kind) {
        return kind == FeatureKind.NUMERIC ? emptyNumeric() : emptyCategorical();
    }

    public static NumericSummary emptyNumeric() {
        return EmptyNumeric.INSTANCE;
    }

    private static CategoricalSummary emptyCategorical() {
        return new CategoricalSummary(0, Map.of(), 0);
    }

    private enum EmptyNumeric implements NumericSummary {
        INSTANCE;

        @Override
        public long count() {
            return 0;
        }

        @Override
        public double cdf(double x) {
            throw new IllegalStateException("no values");
        }

        @Override
        public double[] supportPoints() {
            return new double[0];
        }

        @Override
        public double quantile(double rank) {
            throw new IllegalStateException("no values");
        }

        @Override
        public double rankError() {
            return 0;
        }

        @Override
        public double mean() {
            return Double.NaN;
        }

        @Override
        public double standardDeviation() {
            return Double.NaN;
        }

        @Override
        public double min() {
            return Double.NaN;
        }

        @Override
        public double max() {
            return Double.NaN;
        }
    }
}
