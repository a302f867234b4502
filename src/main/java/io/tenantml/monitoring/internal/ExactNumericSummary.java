package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.NumericSummary;
import java.util.Arrays;

/** Raw values, sorted once: every statistic computed from it is exact. */
public final class ExactNumericSummary implements NumericSummary {

    private final long count;
    private final StepCdf cdf;
    private final double mean;
    private final double standardDeviation;

    private ExactNumericSummary(long count, StepCdf cdf, double mean, double standardDeviation) {
        this.count = count;
        this.cdf = cdf;
        this.mean = mean;
        this.standardDeviation = standardDeviation;
    }

    public static ExactNumericSummary of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values must not be empty");
        }
        double[] sorted = values.clone();
        double sum = 0;
        for (double v : sorted) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        "values must be finite (missing values are counted apart), got " + v);
            }
            sum += v;
        }
        Arrays.sort(sorted);
        double mean = sum / sorted.length;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - mean) * (v - mean);
        }
        long[] ones = new long[sorted.length];
        Arrays.fill(ones, 1L);
        return new ExactNumericSummary(
                sorted.length, StepCdf.ofSorted(sorted, ones), mean, Math.sqrt(squares / sorted.length));
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
        return 0;
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
