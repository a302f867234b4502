package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.CategoricalSummary;
import io.tenantml.monitoring.DriftMeasurement;
import io.tenantml.monitoring.DriftTest;
import io.tenantml.monitoring.DriftTestKind;
import io.tenantml.monitoring.FeatureKind;
import io.tenantml.monitoring.FeatureSummary;
import io.tenantml.monitoring.NumericSummary;
import java.util.Arrays;

/**
 * PSI, reported for every feature (it decides nothing: its scale depends on the binning and the floor).
 * Numeric features are binned at the reference's quantiles i/bins (ties merge bins); categorical ones by
 * category. Proportions are floored at 1e-4 as the golden file defines. From sketches the lower bound is 0:
 * a bin proportion off by 2ε can move PSI by an amount the floor makes unbounded.
 */
public final class PopulationStabilityIndexDriftTest implements DriftTest<FeatureSummary> {

    static final double FLOOR = 1e-4;
    private final int bins;

    public PopulationStabilityIndexDriftTest(int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("bins must be at least 2, was " + bins);
        }
        this.bins = bins;
    }

    @Override
    public DriftTestKind kind() {
        return DriftTestKind.POPULATION_STABILITY_INDEX;
    }

    @Override
    public boolean accepts(FeatureKind kind) {
        return true;
    }

    @Override
    public boolean symmetric() {
        return false; // numeric bins are the reference's quantiles
    }

    @Override
    public DriftMeasurement measure(FeatureSummary reference, FeatureSummary window) {
        if (reference.kind() != window.kind()) {
            throw new IllegalArgumentException("reference is " + reference.kind() + ", window " + window.kind());
        }
        if (reference.count() == 0 || window.count() == 0) {
            throw new IllegalArgumentException("both summaries must hold values");
        }
        double psi;
        boolean exact;
        if (reference instanceof NumericSummary r && window instanceof NumericSummary w) {
            double[] cuts = cuts(r);
            psi = DriftStatistics.populationStabilityIndex(binShares(r, cuts), binShares(w, cuts), FLOOR);
            exact = r.rankError() == 0 && w.rankError() == 0;
        } else {
            CategoricalSummary r = (CategoricalSummary) reference;
            CategoricalSummary w = (CategoricalSummary) window;
            Categories aligned = Categories.align(r, w);
            psi = DriftStatistics.populationStabilityIndex(
                    shares(aligned.reference()), shares(aligned.window()), FLOOR);
            exact = r.maxCountError() == 0 && w.maxCountError() == 0;
        }
        return DriftMeasurement.distance(kind(), psi, psi, exact ? psi : 0.0);
    }

    private double[] cuts(NumericSummary reference) {
        double[] cuts = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            cuts[i - 1] = reference.quantile((double) i / bins);
        }
        return Arrays.stream(cuts).distinct().toArray();
    }

    /** Shares of (−∞, c1], (c1, c2], ..., (c_last, ∞). */
    private static double[] binShares(NumericSummary summary, double[] cuts) {
        double[] shares = new double[cuts.length + 1];
        double previous = 0;
        for (int i = 0; i < cuts.length; i++) {
            double cdf = summary.cdf(cuts[i]);
            shares[i] = cdf - previous;
            previous = cdf;
        }
        shares[cuts.length] = 1.0 - previous;
        return shares;
    }

    private static double[] shares(double[] counts) {
        double total = Arrays.stream(counts).sum();
        return Arrays.stream(counts).map(c -> c / total).toArray();
    }
}
