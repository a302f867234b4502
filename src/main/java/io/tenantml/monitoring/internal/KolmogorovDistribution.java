package io.tenantml.monitoring.internal;

import java.util.Arrays;

/**
 * The distribution of the two-sided one-sample Kolmogorov–Smirnov statistic D_n for a sample of size n
 * (SciPy's {@code kstwo}). The two-sample test's asymptotic p-value is {@code sf(round(nm/(n+m)), d)}.
 *
 * <p>Simard and L'Ecuyer (2011, "Computing the Two-Sided Kolmogorov–Smirnov Distribution", J. Stat.
 * Software 39(11)) split the (n, x) plane between exact and approximate methods; we follow the same split,
 * with the same boundaries, as SciPy 1.17 ({@code scipy/stats/_ksstats.py}) so that p-values agree with
 * SciPy to about 1e-12 everywhere, including where both use the Pelz–Good approximation (n > 140 and
 * n·x² < 2.2 outside the matrix method's region): agreement with SciPy is the contract, because users
 * compare our figures with it. Methods: Ruben–Gambino closed forms at the ends, the Durbin matrix in the
 * Marsaglia–Tsang–Wang form, the Pomeranz recursion, twice the exact one-sided Smirnov probability
 * (Birnbaum–Tingey sum; Miller's approximation for the two-sided tail) and Pelz–Good.
 */
public final class KolmogorovDistribution {

    private static final int SCALE_EXPONENT = 128;
    private static final double SCALE_UP = 0x1.0p128;
    private static final double SCALE_DOWN = 0x1.0p-128;
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
    private static final double PI_SQUARED = Math.PI * Math.PI;
    private static final double PI_FOUR = PI_SQUARED * PI_SQUARED;
    private static final double PI_SIX = PI_FOUR * PI_SQUARED;
    private static final double SQRT3 = Math.sqrt(3);
    /** exp() below this underflows. */
    private static final double MIN_LOG = -708;
    /** Smirnov's one-sided tail: beyond this n, Miller's closed-form approximation (as in SciPy's xsf). */
    private static final int SMIRNOV_MAX_COMPUTE_N = 1_000_000;
    /** Stirling series coefficients B_2j / (2j (2j-1)), j = 8..1, for log(n!/n^n). */
    private static final double[] STIRLING = {
        -2.955065359477124183e-2,
        6.4102564102564102564e-3,
        -1.9175269175269175269e-3,
        8.4175084175084175084e-4,
        -5.952380952380952381e-4,
        7.9365079365079365079e-4,
        -2.7777777777777777778e-3,
        8.3333333333333333333e-2
    };

    private KolmogorovDistribution() {}

    /** P(D_n ≥ x): the survival function (two-sided). */
    public static double sf(long n, double x) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive, was " + n);
        }
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) { // Ruben–Gambino: 1/(2n) <= x <= 1/n
            if (t <= 0.5) {
                return 1.0;
            }
            double cdf;
            if (n <= 140) {
                cdf = 1.0;
                for (long i = 1; i <= n; i++) {
                    cdf *= i * (1.0 / n) * (2 * t - 1);
                }
            } else {
                cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
            }
            return clip(1.0 - cdf);
        }
        if (t >= n - 1) { // Ruben–Gambino
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) { // exactly twice the one-sided probability
            return clip(2 * smirnovSf(n, x));
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 0.754693) {
                return clip(1.0 - durbinCdf((int) n, x));
            }
            if (nxSquared <= 4) {
                return clip(1.0 - pomeranzCdf((int) n, x));
            }
            return clip(2 * smirnovSf(n, x));
        }
        if (nxSquared >= 370.0) {
            return 0.0;
        }
        if (nxSquared >= 2.2) {
            return clip(2 * smirnovSf(n, x));
        }
        double cdf;
        if (n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdf = durbinCdf((int) n, x);
        } else {
            cdf = pelzGoodCdf(n, x);
        }
        return clip(1.0 - cdf);
    }

    private static double clip(double p) {
        return Math.min(1.0, Math.max(0.0, p));
    }

    /** log(n! / n^n) by Stirling's series with n log n removed up front (no cancellation). */
    private static double logFactorialOverPower(long n) {
        double rn = 1.0 / n;
        double poly = 0;
        for (double c : STIRLING) {
            poly = poly * (rn / n) + c;
        }
        return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
    }

    /**
     * P(D_n ≤ x) by Durbin's matrix: with nx = k - h (0 ≤ h < 1), the (k,k) entry of H^n times n!/n^n,
     * H of order 2k-1 (Marsaglia, Tsang and Wang 2003), scaled by powers of two to stay in range.
     */
    static double durbinCdf(int n, double d) {
        double nd = n * d;
        if (d >= 1.0) {
            return 1.0;
        }
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[] v = new double[m];
        double[] w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] = (1.0 - Math.pow(h, j)) * fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        double[][] matrix = new double[m][m];
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                matrix[r][i] = w[r - i + 1];
            }
        }
        for (int r = 0; r < m; r++) {
            matrix[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            matrix[m - 1][c] = v[m - 1 - c];
        }
        double[][] power = identity(m);
        int exponent = 0;
        int matrixExponent = 0;
        int remaining = n;
        while (remaining > 0) {
            if ((remaining & 1) == 1) {
                power = multiply(power, matrix);
                exponent += matrixExponent;
            }
            matrix = multiply(matrix, matrix);
            matrixExponent *= 2;
            if (Math.abs(matrix[k - 1][k - 1]) > SCALE_UP) {
                scale(matrix, SCALE_DOWN);
                matrixExponent += SCALE_EXPONENT;
            }
            remaining >>= 1;
        }
        double p = power[k - 1][k - 1];
        for (int i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < SCALE_DOWN) {
                p *= SCALE_UP;
                exponent -= SCALE_EXPONENT;
            }
        }
        return clip(Math.scalb(p, exponent));
    }

    private static double[][] identity(int m) {
        double[][] id = new double[m][m];
        for (int i = 0; i < m; i++) {
            id[i][i] = 1.0;
        }
        return id;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] ci = c[i];
            for (int l = 0; l < m; l++) {
                double ail = a[i][l];
                if (ail == 0) {
                    continue;
                }
                double[] bl = b[l];
                for (int j = 0; j < m; j++) {
                    ci[j] += ail * bl[j];
                }
            }
        }
        return c;
    }

    private static void scale(double[][] a, double factor) {
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= factor;
            }
        }
    }

    /**
     * P(D_n ≤ x) by Pomeranz's recursion (1974): 2n+1 rows, each a convolution of the previous one with
     * (almost) Poisson weights; only a sliding window of each row is non-zero.
     */
    static double pomeranzCdf(int n, double x) {
        double t = n * x;
        int ll = (int) Math.floor(t);
        double f = t - ll;
        double g = Math.min(f, 1.0 - f);
        int ceilF = f > 0 ? 1 : 0;
        int roundF = f > 0.5 ? 1 : 0;
        int npwrs = 2 * (ll + 1);
        double[] gPower = new double[npwrs];
        double[] twoGPower = new double[npwrs];
        double[] oneMinusTwoGPower = new double[npwrs];
        gPower[0] = 1.0;
        twoGPower[0] = 1.0;
        oneMinusTwoGPower[0] = 1.0;
        double gOverN = g / n;
        double twoGOverN = 2 * g / n;
        double oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (int m = 1; m < npwrs; m++) {
            gPower[m] = gPower[m - 1] * gOverN / m;
            twoGPower[m] = twoGPower[m - 1] * twoGOverN / m;
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * oneMinusTwoGOverN / m;
        }
        double[] v0 = new double[npwrs];
        double[] v1 = new double[npwrs];
        v1[0] = 1;
        int v0Start = 0;
        int v1Start = 0;
        int exponent = 0;
        int[] bounds = pomeranzBounds(0, n, ll, ceilF, roundF);
        int j1 = bounds[0];
        for (int i = 1; i < 2 * n + 2; i++) {
            int k1 = j1;
            double[] swap = v0;
            v0 = v1;
            v1 = swap;
            int swapStart = v0Start;
            v0Start = v1Start;
            v1Start = swapStart;
            Arrays.fill(v1, 0.0);
            bounds = pomeranzBounds(i, n, ll, ceilF, roundF);
            j1 = bounds[0];
            int j2 = bounds[1];
            double[] powers = (i == 1 || i == 2 * n + 1) ? gPower : (i % 2 == 1 ? twoGPower : oneMinusTwoGPower);
            int length = j2 - k1 + 1;
            if (length > 0) {
                int from = k1 - v0Start;
                int convStart = j1 - k1;
                int convLength = j2 - j1 + 1;
                double max = 0;
                for (int out = 0; out < convLength; out++) {
                    int idx = convStart + out;
                    double sum = 0;
                    // full convolution of v0[from .. from+length) with powers[0 .. length), entry idx
                    for (int a = Math.max(0, idx - (length - 1)); a <= Math.min(idx, length - 1); a++) {
                        int source = from + a;
                        if (source >= 0 && source < npwrs && idx - a < npwrs) {
                            sum += v0[source] * powers[idx - a];
                        }
                    }
                    v1[out] = sum;
                    max = Math.max(max, sum);
                }
                if (max > 0 && max < SCALE_DOWN) {
                    scale(v1, SCALE_UP);
                    exponent -= SCALE_EXPONENT;
                }
                v1Start = v0Start + j1 - k1;
            }
        }
        double answer = v1[n - v1Start];
        for (int m = 1; m <= n; m++) {
            if (Math.abs(answer) > SCALE_UP) {
                answer *= SCALE_DOWN;
                exponent += SCALE_EXPONENT;
            }
            answer *= m;
        }
        return clip(Math.scalb(answer, exponent));
    }

    private static void scale(double[] a, double factor) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= factor;
        }
    }

    /** The non-zero window [j1, j2] of row i of the Pomeranz recursion. */
    private static int[] pomeranzBounds(int i, int n, int ll, int ceilF, int roundF) {
        int j1;
        int j2;
        if (i == 0) {
            j1 = -ll - ceilF - 1;
            j2 = ll + ceilF - 1;
        } else {
            int half = (i + 1) / 2;
            if ((i + 1) % 2 == 0) { // i odd
                if (half == n + 1) {
                    j1 = n - ll - ceilF - 1;
                    j2 = n + ll + ceilF - 1;
                } else {
                    j1 = half - 1 - ll - roundF - 1;
                    j2 = half + ll - 1 + ceilF - 1;
                }
            } else {
                j1 = half - 1 - ll - 1;
                j2 = half + ll + roundF - 1;
            }
        }
        return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
    }

    /**
     * Pelz and Good's (1976) approximation of P(D_n ≤ x): the Li-Chien/Korolyuk expansion in 1/√n,
     * each term rewritten through Jacobi theta functions so that it converges for small z = x√n.
     */
    static double pelzGoodCdf(long n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double z2 = z * z;
        double z3 = z2 * z;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double qLog = -PI_SQUARED / 8 / z2;
        if (qLog < MIN_LOG) {
            return 0.0;
        }
        double q = Math.exp(qLog);
        double k1a = -z2;
        double k1b = PI_SQUARED / 4;
        double k2a = 6 * z6 + 2 * z4;
        double k2b = (2 * z4 - 5 * z2) * PI_SQUARED / 4;
        double k2c = PI_FOUR * (1 - 2 * z2) / 16;
        double k3d = PI_SIX * (5 - 30 * z2) / 64;
        double k3c = PI_FOUR * (-60 * z2 + 212 * z4) / 16;
        double k3b = PI_SQUARED * (135 * z4 - 96 * z6) / 4;
        double k3a = -30 * z6 - 90 * Math.pow(z, 8);
        double[] terms = new double[4];
        int maxK = (int) Math.ceil(16 * z / Math.PI);
        for (int k = maxK; k > 0; k--) { // Horner over q^(8k) on the odd m = 2k-1
            double m = 2 * k - 1;
            double m2 = m * m;
            double m4 = m2 * m2;
            double m6 = m4 * m2;
            double qPower = Math.pow(q, 8 * k);
            double[] coefficients = {
                1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6
            };
            for (int i = 0; i < 4; i++) {
                terms[i] = terms[i] * qPower + coefficients[i];
            }
        }
        double[] divisors = {z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            terms[i] = terms[i] * q * SQRT_2PI / divisors[i];
        }
        double q2 = Math.exp(-PI_SQUARED / 2 / z2);
        double sqrt3z = SQRT3 * z;
        double k2extra = 0;
        double k3extra = 0;
        for (int k = maxK; k > 0; k--) {
            double k2 = (double) k * k;
            double qPower = Math.pow(q2, k2);
            double kPi = Math.PI * k;
            k2extra += k2 * qPower;
            k3extra += (sqrt3z + kPi) * (sqrt3z - kPi) * k2 * qPower;
        }
        terms[2] += k2extra * PI_SQUARED * SQRT_2PI / (-36 * z3);
        terms[3] += k3extra * PI_SQUARED * SQRT_2PI / (216 * z6);
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += terms[i] / Math.pow(n, i / 2.0);
        }
        return sum;
    }

    /**
     * P(D_n^+ ≥ x), the one-sided Smirnov tail, exactly by the Birnbaum–Tingey sum
     * x Σ_{j ≤ n(1-x)} C(n,j) (1-x-j/n)^(n-j) (x+j/n)^(j-1), each term in logarithms (all positive, no
     * cancellation); Miller's closed form beyond n = 10^6 as in SciPy.
     */
    static double smirnovSf(long n, double x) {
        if (n == 1) {
            return 1 - x;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        double nx = n * x;
        long nxFloor = (long) Math.floor(nx);
        if (nxFloor == 0 || (nxFloor == 1 && nx == 1.0)) {
            double cdf = x * Math.pow(1 + x, n - 1);
            return clip(1 - cdf);
        }
        if (-2 * n * x * x < -708.3964185322641) {
            return 0.0;
        }
        if (nxFloor >= n - 1) {
            return Math.pow(1 - x, n);
        }
        if (n > SMIRNOV_MAX_COMPUTE_N) {
            double logP = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
            return Math.exp(logP);
        }
        long last = (long) Math.floor(n * (1 - x));
        // log C(n, j) grows to ~n: summed with Kahan's compensation so that its rounding does not build up
        // over 10^5 terms (uncompensated, p-values near 1e-20 at n = 300,000 drift by 4e-9 relative).
        double logBinomial = 0; // log C(n, 0)
        double compensation = 0;
        double sum = 0;
        double peak = Double.NEGATIVE_INFINITY;
        for (long j = 0; j <= last; j++) {
            if (j > 0) {
                double increment = Math.log((double) (n - j + 1) / j) - compensation;
                double next = logBinomial + increment;
                compensation = (next - logBinomial) - increment;
                logBinomial = next;
            }
            double lower = (double) (n - j) / n - x;
            if (lower <= 0) {
                break; // the term with 1 - x - j/n = 0 is zero
            }
            double logTerm = logBinomial + (n - j) * Math.log(lower) + (j - 1) * Math.log(x + (double) j / n);
            double term = Math.exp(logTerm);
            sum += term;
            peak = Math.max(peak, logTerm);
            if (logTerm < peak - 45 && j > 2) { // terms are unimodal in j: past the peak, the rest is below 1e-19
                break;
            }
        }
        return clip(x * sum);
    }
}
