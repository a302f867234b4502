package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.NumericSummary;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/**
 * A KLL quantile sketch with exact moments, as the windows job will hold them (hourly sketches merged into
 * days and weeks). The CDF is the sketch's sorted view (retained items and their weights); its error is
 * the sketch's single-sided normalized rank error, or 0 while the sketch still holds every value.
 */
public final class KllNumericSummary implements NumericSummary {

    private final long count;
    private final StepCdf cdf;
    private final double rankError;
    private final double mean;
    private final double standardDeviation;

    private KllNumericSummary(long count, StepCdf cdf, double rankError, double mean, double standardDeviation) {
        this.count = count;
        this.cdf = cdf;
        this.rankError = rankError;
        this.mean = mean;
        this.standardDeviation = standardDeviation;
    }

    /**
     * @param sketch a non-empty KLL sketch of the values
     * @param mean exact mean of the same values
     * @param standardDeviation exact population standard deviation of the same values
     */
    public static KllNumericSummary of(KllDoublesSketch sketch, double mean, double standardDeviation) {
        if (sketch.isEmpty()) {
            throw new IllegalArgumentException("sketch must not be empty");
        }
        DoublesSortedView view = sketch.getSortedView();
        double[] items = view.getQuantiles();
        long[] cumulative = view.getCumulativeWeights();
        long[] weights = new long[items.length];
        long previous = 0;
        for (int i = 0; i < items.length; i++) {
            weights[i] = cumulative[i] - previous;
            previous = cumulative[i];
        }
        double error = sketch.isEstimationMode() ? sketch.getNormalizedRankError(false) : 0.0;
        return new KllNumericSummary(sketch.getN(), StepCdf.ofSorted(items, weights), error, mean, standardDeviation);
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public double cdf(double x) {
        return cdf.cdf(x);
    }

    @Override
    public double[] supportPoints() {
        return cdf.points();
    }

    @Override
    public double quantile(double rank) {
        return cdf.quantile(rank);
    }

    @Override
    public double rankError() {
        return rankError;
    }

    @Override
    public double mean() {
        return mean;
    }

    @Override
    public double standardDeviation() {
        return standardDeviation;
    }

    @Override
    public double min() {
        return cdf.min();
    }

    @Override
    public double max() {
        return cdf.max();
    }
}
