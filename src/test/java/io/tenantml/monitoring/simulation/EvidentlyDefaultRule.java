package io.tenantml.monitoring.simulation;

import io.tenantml.monitoring.NumericSummary;
import io.tenantml.monitoring.internal.DriftStatistics;
import org.apache.commons.math3.special.Erf;

/**
 * Evidently's default data-drift rule, re-implemented to judge the same windows as ours. Source read:
 * evidentlyai/evidently at v0.7.21 (commit a4aa4c2b), {@code src/evidently/legacy/calculations/stattests/}:
 * <ul>
 *   <li>{@code registry.py} {@code _get_default_stattest}: the choice depends on the REFERENCE size and on
 *       the number of unique values of reference and current together. Reference ≤ 1000 rows: numeric with
 *       more than 5 unique values → K-S; numeric with at most 5, or categorical → chi-squared when more than 2
 *       unique values, else the Z-test of two proportions. Reference above 1000 rows: numeric with more
 *       than 5 unique values → Wasserstein (normed); otherwise, and every categorical → Jensen–Shannon;</li>
 *   <li>{@code ks_stattest.py}: {@code scipy.stats.ks_2samp} (method 'auto'), drift when p ≤ 0.05;</li>
 *   <li>{@code chisquare_stattest.py}: a goodness-of-fit {@code scipy.stats.chisquare} of the current counts
 *       against the reference counts scaled to the current size (not a test of homogeneity), drift when
 *       p &lt; 0.05 (default threshold 0.05 in {@code registry.py}'s {@code StatTest});</li>
 *   <li>{@code z_stattest.py}: two-proportion Z-test on "is the first sorted category", two-sided, p &lt; 0.05;</li>
 *   <li>{@code wasserstein_distance_norm.py}: {@code wasserstein_distance / max(np.std(reference), 0.001)},
 *       drift when ≥ 0.1;</li>
 *   <li>{@code jensenshannon.py}: {@code scipy.spatial.distance.jensenshannon} of the category shares over
 *       the union of categories (numeric with ≤ 20 unique reference values: its values as categories), with
 *       {@code base=None}, i.e. natural logarithms, drift when ≥ 0.1;</li>
 *   <li>{@code calculations/data_drift.py} {@code get_dataset_drift}: the dataset drifts when the share of
 *       drifted columns is ≥ {@code drift_share} = 0.5 (default in {@code options/data_drift.py}).</li>
 * </ul>
 * No correction for testing many columns at once. Also documented in Evidently's docs ("Data drift
 * algorithm": reference ≤ 1000 objects → tests at 0.95 confidence; > 1000 → distances with threshold 0.1).
 */
final class EvidentlyDefaultRule {

    static final double P_THRESHOLD = 0.05;
    static final double DISTANCE_THRESHOLD = 0.1;
    static final double DRIFT_SHARE = 0.5;
    private static final long SMALL_REFERENCE = 1000;
    private static final long SCIPY_AUTO_EXACT_MAX_N = 10_000;

    private EvidentlyDefaultRule() {}

    static boolean numericDrift(NumericSummary reference, NumericSummary current) {
        int unique = union(reference.supportPoints(), current.supportPoints());
        if (unique <= 5) {
            return categoricalDrift(valueCounts(reference, current, true), valueCounts(reference, current, false));
        }
        if (reference.count() <= SMALL_REFERENCE) {
            double d = DriftStatistics.ksStatistic(reference, current);
            double p = Double.NaN;
            if (Math.max(reference.count(), current.count()) <= SCIPY_AUTO_EXACT_MAX_N) {
                p = DriftStatistics.ksPValueExact(d, reference.count(), current.count());
            }
            if (Double.isNaN(p)) {
                p = DriftStatistics.ksPValueAsymptotic(d, reference.count(), current.count());
            }
            return p <= P_THRESHOLD;
        }
        double norm = Math.max(reference.standardDeviation(), 0.001);
        return DriftStatistics.wasserstein(reference, current) / norm >= DISTANCE_THRESHOLD;
    }

    /** Counts over the union of categories (zeros where a side lacks one). */
    static boolean categoricalDrift(long[] reference, long[] current) {
        long referenceTotal = 0;
        long currentTotal = 0;
        int unique = 0;
        for (int i = 0; i < reference.length; i++) {
            referenceTotal += reference[i];
            currentTotal += current[i];
            unique += (reference[i] + current[i]) > 0 ? 1 : 0;
        }
        if (referenceTotal > SMALL_REFERENCE) {
            double[] r = new double[reference.length];
            double[] c = new double[reference.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = reference[i];
                c[i] = current[i];
            }
            // base e distance = base 2 distance × √ln 2
            double js = DriftStatistics.jensenShannonDistance(r, c) * Math.sqrt(Math.log(2));
            return js >= DISTANCE_THRESHOLD;
        }
        if (unique > 2) {
            return chiSquareGoodnessOfFit(reference, current, referenceTotal, currentTotal) < P_THRESHOLD;
        }
        return zTest(reference, current, referenceTotal, currentTotal) < P_THRESHOLD;
    }

    private static double chiSquareGoodnessOfFit(long[] reference, long[] current, long nr, long nc) {
        double scale = (double) nc / nr;
        double statistic = 0;
        int keys = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] + current[i] == 0) {
                continue; // not among Evidently's keys
            }
            keys++;
            double expected = reference[i] * scale;
            if (expected == 0) {
                return 0.0; // scipy: infinite statistic, p = 0
            }
            statistic += (current[i] - expected) * (current[i] - expected) / expected;
        }
        return DriftStatistics.chiSquaredSurvival(statistic, keys - 1);
    }

    private static double zTest(long[] reference, long[] current, long nr, long nc) {
        int first = -1;
        int present = 0;
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] + current[i] > 0) {
                present++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (present == 1) {
            return 1.0; // both sides hold the same single value
        }
        double p1 = (double) (nr - reference[first]) / nr;
        double p2 = (double) (nc - current[first]) / nc;
        double pooled = (p1 * nr + p2 * nc) / (nr + nc);
        double z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / nr + 1.0 / nc));
        return Erf.erfc(Math.abs(z) / Math.sqrt(2)); // 2 (1 − Φ(|z|))
    }

    private static long[] valueCounts(NumericSummary reference, NumericSummary current, boolean ofReference) {
        double[] points = union(reference, current);
        NumericSummary s = ofReference ? reference : current;
        long[] counts = new long[points.length];
        double previous = 0;
        for (int i = 0; i < points.length; i++) {
            double cdf = s.cdf(points[i]);
            counts[i] = Math.round((cdf - previous) * s.count());
            previous = cdf;
        }
        return counts;
    }

    private static double[] union(NumericSummary a, NumericSummary b) {
        return java.util.stream.DoubleStream.concat(
                        java.util.Arrays.stream(a.supportPoints()), java.util.Arrays.stream(b.supportPoints()))
                .distinct()
                .sorted()
                .toArray();
    }

    private static int union(double[] a, double[] b) {
        int i = 0;
        int j = 0;
        int k = 0;
        double last = Double.NaN;
        while (i < a.length || j < b.length) {
            double next = (j >= b.length || (i < a.length && a[i] <= b[j])) ? a[i++] : b[j++];
            if (k == 0 || next != last) {
                k++;
                last = next;
            }
        }
        return k;
    }
}
