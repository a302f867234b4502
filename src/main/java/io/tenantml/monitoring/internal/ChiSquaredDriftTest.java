package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.CategoricalSummary;
import io.tenantml.monitoring.DriftMeasurement;
import io.tenantml.monitoring.DriftTest;
import io.tenantml.monitoring.DriftTestKind;
import io.tenantml.monitoring.FeatureKind;
import io.tenantml.monitoring.PValueMethod;
import java.util.Arrays;
import java.util.Comparator;
import java.util.OptionalDouble;

/**
 * Chi-squared test of homogeneity over the union of categories (categories only the window has are
 * included: they are evidence of drift). Categories whose expected count in the smaller row would be below
 * the minimum are pooled, smallest total first, into one bin, so that the χ² approximation holds for tiny
 * windows and long tails (Cochran's rule); with one bin left there is nothing to test (p = 1).
 * Effect size: √(χ²·(n+m)/(n·m)), the χ² distance between the two rows' proportions (Cohen's w for two
 * samples), which, unlike Cramér's V, does not shrink as the reference grows. With approximate counts (a frequent-items sketch), every window count
 * is first moved toward its expectation by the counts' stated error, so the p-value is that of the least
 * different table the sketches allow.
 */
public final class ChiSquaredDriftTest implements DriftTest<CategoricalSummary> {

    private final double minExpectedCount;

    public ChiSquaredDriftTest(double minExpectedCount) {
        if (!(minExpectedCount >= 0)) {
            throw new IllegalArgumentException("minExpectedCount must not be negative, was " + minExpectedCount);
        }
        this.minExpectedCount = minExpectedCount;
    }

    @Override
    public DriftTestKind kind() {
        return DriftTestKind.CHI_SQUARED;
    }

    @Override
    public boolean accepts(FeatureKind kind) {
        return kind == FeatureKind.CATEGORICAL;
    }

    @Override
    public boolean symmetric() {
        return true;
    }

    @Override
    public DriftMeasurement measure(CategoricalSummary reference, CategoricalSummary window) {
        Categories.requireNonEmpty(reference, window);
        Categories aligned = Categories.align(reference, window);
        double[][] pooled = pool(aligned.reference(), aligned.window());
        DriftStatistics.ChiSquared observed = DriftStatistics.chiSquaredHomogeneity(pooled[0], pooled[1]);
        DriftStatistics.ChiSquared conservative = observed;
        long countError = reference.maxCountError() + window.maxCountError();
        if (countError > 0) {
            conservative = DriftStatistics.chiSquaredHomogeneity(pooled[0], shrink(pooled[0], pooled[1], countError));
        }
        double effectiveCount =
                (double) reference.count() * window.count() / (reference.count() + (double) window.count());
        double w = Math.sqrt(observed.statistic() / effectiveCount);
        double wLower = Math.min(w, Math.sqrt(conservative.statistic() / effectiveCount));
        return new DriftMeasurement(
                kind(),
                observed.statistic(),
                OptionalDouble.of(conservative.pValue()),
                PValueMethod.ASYMPTOTIC,
                w,
                wLower,
                observed.degreesOfFreedom());
    }

    /** Pools the columns too sparse for the χ² approximation; returns {reference row, window row}. */
    double[][] pool(double[] reference, double[] window) {
        int k = reference.length;
        double referenceTotal = Arrays.stream(reference).sum();
        double windowTotal = Arrays.stream(window).sum();
        double total = referenceTotal + windowTotal;
        double smallerRow = Math.min(referenceTotal, windowTotal);
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        // ascending by column total; ties by category order, so the pooling is deterministic
        Arrays.sort(
                order,
                Comparator.comparingDouble((Integer i) -> reference[i] + window[i])
                        .thenComparingInt(i -> i));
        double pooledReference = 0;
        double pooledWindow = 0;
        int pooledColumns = 0;
        int next = 0;
        while (next < k) {
            int column = order[next];
            double columnTotal = reference[column] + window[column];
            boolean columnTooSparse = columnTotal * smallerRow / total < minExpectedCount;
            boolean poolTooSparse =
                    pooledColumns > 0 && (pooledReference + pooledWindow) * smallerRow / total < minExpectedCount;
            if (!columnTooSparse && !poolTooSparse) {
                break;
            }
            pooledReference += reference[column];
            pooledWindow += window[column];
            pooledColumns++;
            next++;
        }
        int kept = k - next;
        int bins = kept + (pooledColumns > 0 ? 1 : 0);
        double[] r = new double[bins];
        double[] w = new double[bins];
        int b = 0;
        for (int i = next; i < k; i++) {
            r[b] = reference[order[i]];
            w[b] = window[order[i]];
            b++;
        }
        if (pooledColumns > 0) {
            r[b] = pooledReference;
            w[b] = pooledWindow;
        }
        return new double[][] {r, w};
    }

    /** Window counts moved toward the reference proportions by up to {@code error} each, keeping their total. */
    private static double[] shrink(double[] reference, double[] window, long error) {
        double referenceTotal = Arrays.stream(reference).sum();
        double windowTotal = Arrays.stream(window).sum();
        double[] target = new double[window.length];
        double[] shrunk = new double[window.length];
        double sum = 0;
        for (int i = 0; i < window.length; i++) {
            target[i] = windowTotal * reference[i] / referenceTotal;
            double gap = window[i] - target[i];
            shrunk[i] = target[i] + Math.signum(gap) * Math.max(0, Math.abs(gap) - error);
            sum += shrunk[i];
        }
        for (int i = 0; i < shrunk.length; i++) {
            shrunk[i] *= windowTotal / sum;
        }
        return shrunk;
    }
}
