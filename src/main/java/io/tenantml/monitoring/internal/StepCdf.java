package io.tenantml.monitoring.internal;

import java.util.Arrays;

/**
 * A right-continuous step CDF: distinct sorted points and the share of values at or below each. Shared by
 * the exact summary and sketch adapters, so the statistics see one representation.
 */
final class StepCdf {

    private final double[] points;
    private final double[] shares;

    StepCdf(double[] points, double[] shares) {
        if (points.length != shares.length) {
            throw new IllegalArgumentException("points and shares differ in length");
        }
        this.points = points;
        this.shares = shares;
    }

    /** From sorted values (duplicates allowed) with a weight each. */
    static StepCdf ofSorted(double[] sorted, long[] weights) {
        double[] points = new double[sorted.length];
        double[] cumulative = new double[sorted.length];
        long total = 0;
        for (long w : weights) {
            total += w;
        }
        int distinct = 0;
        long running = 0;
        for (int i = 0; i < sorted.length; i++) {
            running += weights[i];
            if (distinct > 0 && points[distinct - 1] == sorted[i]) {
                cumulative[distinct - 1] = running;
            } else {
                points[distinct] = sorted[i];
                cumulative[distinct] = running;
                distinct++;
            }
        }
        double[] shares = new double[distinct];
        for (int i = 0; i < distinct; i++) {
            shares[i] = cumulative[i] / total;
        }
        shares[distinct - 1] = 1.0;
        return new StepCdf(Arrays.copyOf(points, distinct), shares);
    }

    double cdf(double x) {
        int i = Arrays.binarySearch(points, x);
        if (i >= 0) {
            return shares[i];
        }
        int below = -i - 2;
        return below < 0 ? 0.0 : shares[below];
    }

    double quantile(double rank) {
        if (!(rank > 0 && rank <= 1)) {
            throw new IllegalArgumentException("rank must be in (0, 1], was " + rank);
        }
        int lo = 0;
        int hi = shares.length - 1;
        while (lo < hi) { // first point whose share reaches rank
            int mid = (lo + hi) >>> 1;
            if (shares[mid] >= rank) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return points[lo];
    }

    double[] points() {
        return points.clone();
    }

    double min() {
        return points[0];
    }

    double max() {
        return points[points.length - 1];
    }
}
