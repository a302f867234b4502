package io.tenantml.dataset.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A uniform sample of at most {@link #CAPACITY} values of a numeric column (reservoir sampling, Li's
 * "Algorithm L", which draws random numbers only for the few values it keeps), sorted once at the end for
 * quantiles and the empirical CDF. Exact up to CAPACITY values; beyond, a quantile's rank is off by about
 * 1/sqrt(CAPACITY) = 0.8% at worst. The seed is fixed, so the same content always gives the same profile.
 */
final class QuantileSample {

    /** 128 KiB per numeric column at most, so that 500 numeric columns stay within 64 MiB. */
    static final int CAPACITY = 1 << 14;

    private static final long SEED = 0x5EED_DA7A_5E7L;

    private double[] values = new double[256];
    private final SplittableRandom random = new SplittableRandom(SEED);
    private long seen;
    private int size;
    private long nextKept;
    private double w;
    private boolean sorted;

    void add(double v) {
        seen++;
        if (size < CAPACITY) {
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.min(CAPACITY, size * 4));
            }
            values[size++] = v;
            if (size == CAPACITY) {
                w = Math.exp(Math.log(random.nextDouble()) / CAPACITY);
                nextKept = seen + skip() + 1;
            }
            return;
        }
        if (seen == nextKept) {
            values[random.nextInt(CAPACITY)] = v;
            w *= Math.exp(Math.log(random.nextDouble()) / CAPACITY);
            nextKept = seen + skip() + 1;
        }
    }

    private long skip() {
        return (long) Math.floor(Math.log(random.nextDouble()) / Math.log(1 - w));
    }

    private void sort() {
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
    }

    /** Linear interpolation between the closest ranks (type 7, as numpy and R default). */
    double quantile(double q) {
        sort();
        if (size == 0) {
            return Double.NaN;
        }
        double pos = q * (size - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(size - 1, lo + 1);
        return values[lo] + (pos - lo) * (values[hi] - values[lo]);
    }

    /** Share of values at or below {@code x}. */
    double cdf(double x) {
        sort();
        if (size == 0) {
            return Double.NaN;
        }
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (double) lo / size;
    }
}
