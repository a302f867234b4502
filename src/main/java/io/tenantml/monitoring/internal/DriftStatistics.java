package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.NumericSummary;
import java.util.Arrays;
import org.apache.commons.math3.special.Gamma;

/**
 * The two-sample statistics behind the drift tests, each equal to SciPy 1.17's on exact inputs (pinned by
 * {@code src/test/resources/golden/drift-stats.json} to 1e-9). Fed from sketches, each one's error bound is
 * stated on the method.
 */
public final class DriftStatistics {

    private DriftStatistics() {}

    /**
     * The two-sample Kolmogorov–Smirnov statistic D = sup |F(x) − G(x)| (SciPy {@code ks_2samp}, two-sided),
     * evaluated at every support point of either summary, where both step CDFs are exact.
     * From sketches with rank errors ε_a and ε_b: |D̂ − D| ≤ ε_a + ε_b.
     */
    public static double ksStatistic(NumericSummary a, NumericSummary b) {
        double d = 0;
        for (double x : union(a.supportPoints(), b.supportPoints())) {
            d = Math.max(d, Math.abs(a.cdf(x) - b.cdf(x)));
        }
        return d;
    }

    /**
     * SciPy's {@code ks_2samp(method='asymp')} two-sided p-value: the one-sample Kolmogorov distribution
     * {@code kstwo.sf(d, round(n·m/(n+m)))} (round half to even, as NumPy).
     */
    public static double ksPValueAsymptotic(double d, long n, long m) {
        requirePositive(n, m);
        double en = (double) n * m / ((double) n + m);
        long effective = Math.max(1, (long) Math.rint(en));
        return KolmogorovDistribution.sf(effective, d);
    }

    /**
     * SciPy's {@code ks_2samp(method='exact')} two-sided p-value P(D ≥ d) under the null hypothesis of one
     * continuous distribution: d is put on the lattice of multiples of 1/lcm(n, m), then the proportion of
     * lattice paths that leave the band is counted (Hodges 1958; the 1 − p recursion of Viehmann 2021,
     * stable for large samples). Returns NaN when the lattice is too large (lcm beyond 2^31, as SciPy) or
     * rounding made the result leave [0, 1]; the caller then uses the asymptotic p-value, as SciPy does.
     * With ties the test is conservative (the p-value is too large, never too small).
     */
    public static double ksPValueExact(double d, long n, long m) {
        requirePositive(n, m);
        long g = gcd(n, m);
        long ng = n / g;
        long mg = m / g;
        if (ng >= Integer.MAX_VALUE / mg) {
            return Double.NaN;
        }
        long lcm = ng * m;
        long h = (long) Math.rint(d * lcm);
        if (h == 0) {
            return 1.0;
        }
        double p = n == m ? probabilityOutsideSquare(n, h) : probabilityOutsideBand(n, m, g, h);
        return (p >= 0 && p <= 1) ? p : Double.NaN;
    }

    /** P(D_{n,n} ≥ h/n) = 2 Σ_k (−1)^(k−1) C(2n, n−kh)/C(2n, n), in nested (Horner) form against cancellation. */
    private static double probabilityOutsideSquare(long n, long h) {
        double p = 0.0;
        for (long k = n / h; k >= 0; k--) {
            double term = 1.0;
            for (long j = 0; j < h; j++) {
                term = (n - k * h - j) * term / (n + k * h + j + 1);
            }
            p = term * (1.0 - p);
        }
        return 2 * p;
    }

    /**
     * 1 − (paths from (0,0) to (m,n) that stay strictly inside |x/m − y/n| < h/lcm) / C(m+n, n), computed
     * column by column directly as the complement (Viehmann), keeping only the band's sliding window.
     */
    private static double probabilityOutsideBand(long n1, long n2, long g, long h) {
        long m = Math.max(n1, n2);
        long n = Math.min(n1, n2);
        long mg = m / g;
        long ng = n / g;
        int minJ = 0;
        int maxJ = (int) Math.min(ceilDiv(h, mg), n + 1);
        int currentLength = maxJ - minJ;
        int lengthA = (int) Math.min(2L * maxJ + 2, n + 1);
        double[] a = new double[lengthA];
        Arrays.fill(a, 1.0);
        Arrays.fill(a, minJ, Math.min(maxJ, lengthA), 0.0);
        for (long i = 1; i <= m; i++) {
            int lastMinJ = minJ;
            int lastLength = currentLength;
            minJ = (int) Math.min(Math.max(Math.floorDiv(ng * i - h, mg) + 1, 0), n);
            maxJ = (int) Math.min(ceilDiv(ng * i + h, mg), n + 1);
            if (maxJ <= minJ) {
                return 1.0;
            }
            double value = minJ == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxJ - minJ; jj++) {
                long j = jj + minJ;
                value = (a[jj + minJ - lastMinJ] * i + value * j) / (i + j);
                a[jj] = value;
            }
            currentLength = maxJ - minJ;
            if (lastLength > currentLength) {
                Arrays.fill(a, maxJ - minJ, Math.min(lengthA, maxJ - minJ + (lastLength - currentLength)), 1.0);
            }
        }
        return a[maxJ - minJ - 1];
    }

    /**
     * Wasserstein-1 distance ∫|F − G| dx (SciPy {@code wasserstein_distance}), summed between consecutive
     * support points of the union. From sketches: |Ŵ − W| ≤ (ε_a + ε_b)·(max − min) over the pooled range.
     */
    public static double wasserstein(NumericSummary a, NumericSummary b) {
        double[] points = union(a.supportPoints(), b.supportPoints());
        double sum = 0;
        for (int i = 0; i + 1 < points.length; i++) {
            sum += Math.abs(a.cdf(points[i]) - b.cdf(points[i])) * (points[i + 1] - points[i]);
        }
        return sum;
    }

    /** Result of the chi-squared test of homogeneity. */
    public record ChiSquared(double statistic, double pValue, int degreesOfFreedom) {}

    /**
     * Pearson's chi-squared test of homogeneity of two rows of counts over the same categories, without
     * continuity correction (SciPy {@code chi2_contingency(correction=False)}): degrees of freedom = number
     * of categories − 1. Categories with no count in either row must be left out by the caller.
     */
    public static ChiSquared chiSquaredHomogeneity(double[] reference, double[] current) {
        if (reference.length != current.length) {
            throw new IllegalArgumentException("rows differ in length");
        }
        double referenceTotal = 0;
        double currentTotal = 0;
        for (int j = 0; j < reference.length; j++) {
            referenceTotal += reference[j];
            currentTotal += current[j];
        }
        double total = referenceTotal + currentTotal;
        double statistic = 0;
        for (int j = 0; j < reference.length; j++) {
            double column = reference[j] + current[j];
            if (column <= 0) {
                throw new IllegalArgumentException("category " + j + " has no count in either row");
            }
            double expectedReference = referenceTotal * column / total;
            double expectedCurrent = currentTotal * column / total;
            statistic += square(reference[j] - expectedReference) / expectedReference
                    + square(current[j] - expectedCurrent) / expectedCurrent;
        }
        int dof = reference.length - 1;
        if (dof == 0) {
            return new ChiSquared(0.0, 1.0, 0);
        }
        return new ChiSquared(statistic, chiSquaredSurvival(statistic, dof), dof);
    }

    /** P(X ≥ x) for X ~ χ²(dof): the regularized upper incomplete gamma Q(dof/2, x/2), accurate in the far tail. */
    public static double chiSquaredSurvival(double x, int dof) {
        if (x <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(dof / 2.0, x / 2.0, 1e-16, Integer.MAX_VALUE);
    }

    /**
     * Jensen–Shannon distance with base-2 logarithms (SciPy {@code spatial.distance.jensenshannon(p, q,
     * base=2)}): the square root of the divergence, in [0, 1]; the inputs are normalised to sum 1. From
     * approximate proportions with total-variation errors δ_p, δ_q: |ĴS − JS| ≤ √δ_p + √δ_q (JS is a
     * metric, and the base-2 divergence is at most the total variation).
     */
    public static double jensenShannonDistance(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("distributions differ in length");
        }
        double sumP = 0;
        double sumQ = 0;
        for (int i = 0; i < p.length; i++) {
            sumP += p[i];
            sumQ += q[i];
        }
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sumP;
            double qi = q[i] / sumQ;
            double mi = (pi + qi) / 2;
            divergence += relativeEntropy(pi, mi) + relativeEntropy(qi, mi);
        }
        return Math.sqrt(Math.max(0, divergence / Math.log(2) / 2));
    }

    private static double relativeEntropy(double x, double y) {
        return x > 0 ? x * Math.log(x / y) : 0.0;
    }

    /**
     * Population stability index Σ (c − r) ln(c / r) over bins, each proportion floored at {@code floor}
     * (not renormalised), as the golden file defines it with floor 1e-4.
     */
    public static double populationStabilityIndex(double[] reference, double[] current, double floor) {
        if (reference.length != current.length) {
            throw new IllegalArgumentException("distributions differ in length");
        }
        double psi = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = Math.max(reference[i], floor);
            double c = Math.max(current[i], floor);
            psi += (c - r) * Math.log(c / r);
        }
        return psi;
    }

    /**
     * Benjamini–Hochberg adjusted p-values, in input order (SciPy {@code false_discovery_control(method=
     * "bh")}): sort ascending, scale the i-th smallest by m/i, take the running minimum from the largest
     * down, cap at 1. Rejecting where the adjusted p-value is below q controls the false discovery rate at q.
     */
    public static double[] benjaminiHochberg(double[] pValues) {
        int m = pValues.length;
        for (double p : pValues) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("p-values must lie in [0, 1], got " + p);
            }
        }
        if (m <= 1) {
            return pValues.clone();
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(pValues[x], pValues[y]));
        double[] adjusted = new double[m];
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int index = order[rank - 1];
            running = Math.min(running, pValues[index] * ((double) m / rank));
            adjusted[index] = Math.min(1.0, running);
        }
        return adjusted;
    }

    static double[] union(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length || j < b.length) {
            double next;
            if (j >= b.length || (i < a.length && a[i] <= b[j])) {
                next = a[i++];
            } else {
                next = b[j++];
            }
            if (k == 0 || out[k - 1] != next) {
                out[k++] = next;
            }
        }
        return Arrays.copyOf(out, k);
    }

    private static double square(double x) {
        return x * x;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static void requirePositive(long n, long m) {
        if (n <= 0 || m <= 0) {
            throw new IllegalArgumentException("sample sizes must be positive, were " + n + " and " + m);
        }
    }
}
