package io.tenantml.monitoring;

import io.tenantml.monitoring.internal.ChiSquaredDriftTest;
import io.tenantml.monitoring.internal.JensenShannonDriftTest;
import io.tenantml.monitoring.internal.KolmogorovSmirnovDriftTest;
import io.tenantml.monitoring.internal.PopulationStabilityIndexDriftTest;
import io.tenantml.monitoring.internal.WassersteinDriftTest;

/** The platform's drift tests. */
public final class DriftTests {

    private DriftTests() {}

    /**
     * Two-sample Kolmogorov–Smirnov. The p-value is exact (SciPy's 'exact') when both summaries are exact
     * and n·m ≤ {@code exactMaxProduct}, else asymptotic (SciPy's 'asymp').
     */
    public static DriftTest<NumericSummary> kolmogorovSmirnov(long exactMaxProduct) {
        return new KolmogorovSmirnovDriftTest(exactMaxProduct);
    }

    /** Wasserstein-1 distance; effect size in reference standard deviations. No p-value. */
    public static DriftTest<NumericSummary> wasserstein() {
        return new WassersteinDriftTest();
    }

    /**
     * Chi-squared test of homogeneity; categories whose expected count would fall below
     * {@code minExpectedCount} are pooled (smallest first) so that the χ² approximation holds.
     */
    public static DriftTest<CategoricalSummary> chiSquared(double minExpectedCount) {
        return new ChiSquaredDriftTest(minExpectedCount);
    }

    /** Jensen–Shannon distance, base 2, over the union of categories. No p-value. */
    public static DriftTest<CategoricalSummary> jensenShannon() {
        return new JensenShannonDriftTest();
    }

    /** PSI over {@code bins} reference quantile bins (numeric) or over categories, proportions floored at 1e-4. */
    public static DriftTest<FeatureSummary> populationStabilityIndex(int bins) {
        return new PopulationStabilityIndexDriftTest(bins);
    }
}
