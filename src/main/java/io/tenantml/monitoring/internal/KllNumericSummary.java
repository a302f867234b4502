package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.NumericSummary;
import io.tenantml.statistics.Moments;
import io.tenantml.statistics.QuantileSketch;
import io.tenantml.statistics.WeightedValues;

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
     * @param sketch a non-empty quantile sketch of the values
     * @param moments exact moments of the same values (mean and population standard deviation are read)
     */
    public static KllNumericSummary of(QuantileSketch sketch, Moments moments) {
        if (sketch.isEmpty()) {
            throw new IllegalArgumentException("sketch must not be empty");
        }
        if (moments.count() != sketch.count()) {
            throw new IllegalArgumentException("moments count " + moments.count() + " differs from the sketch's count "
                    + sketch.count() + ": they must describe the same values");
        }
        WeightedValues view = sketch.weightedValues();
        double error = sketch.isExact() ? 0.0 : sketch.normalizedRankError();
        return new KllNumericSummary(
                sketch.count(),
                StepCdf.ofSorted(view.values(), view.weights()),
                error,
                moments.mean(),
                Math.sqrt(moments.populationVariance()));
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
