package io.tenantml.monitoring;

import io.tenantml.monitoring.internal.ExactNumericSummary;
import io.tenantml.monitoring.internal.KllNumericSummary;
import io.tenantml.statistics.Moments;
import io.tenantml.statistics.QuantileSketch;

/**
 * A numeric feature's distribution as the drift statistics need it: its empirical CDF, the points where
 * that CDF may step, and exact moments. Implementations: {@link #exact(double[])} (raw values: every
 * statistic equals SciPy's) and sketch adapters (a KLL quantile sketch: the CDF is within
 * {@link #rankError()} of the true one at every point).
 *
 * <p>Invariants every implementation keeps: {@code cdf} is non-decreasing, right-continuous, 0 below the
 * smallest value and 1 from the largest; it changes only at {@link #supportPoints()}, so a supremum or an
 * integral of CDF differences over the union of two summaries' support points is exact for the summaries.
 */
public non-sealed interface NumericSummary extends FeatureSummary {

    /** Share of values ≤ x. */
    double cdf(double x);

    /** Sorted, distinct points where {@link #cdf} may change (all values, or a sketch's retained items). */
    double[] supportPoints();

    /** The smallest value v with cdf(v) ≥ rank, for rank in (0, 1]. */
    double quantile(double rank);

    /**
     * ε such that |cdf(x) − true share ≤ x| ≤ ε for every x (0 for exact summaries; a KLL sketch's
     * normalized single-sided rank error, which holds with 99% confidence).
     */
    double rankError();

    /** Exact mean (from mergeable moments). */
    double mean();

    /** Exact population standard deviation (ddof = 0, from mergeable moments). */
    double standardDeviation();

    double min();

    double max();

    @Override
    default FeatureKind kind() {
        return FeatureKind.NUMERIC;
    }

    /** The exact summary of raw values (NaN refused: missing values are counted apart). */
    static NumericSummary exact(double[] values) {
        return ExactNumericSummary.of(values);
    }

    /**
     * The summary a live window or a reference profile keeps: a quantile sketch (the CDF within its rank
     * error) with the exact mergeable moments of the same values.
     */
    static NumericSummary of(QuantileSketch sketch, Moments moments) {
        return KllNumericSummary.of(sketch, moments);
    }
}
