package io.tenantml.statistics;

import java.util.Objects;

/**
 * Count, mean, variance, minimum and maximum of a stream of numbers, exactly (to floating-point rounding) and
 * mergeably: Welford's update per value and Chan, Golub and LeVeque's pairwise combination for a merge, both
 * on (count, mean, M2 = sum of squared deviations from the mean), which stay accurate where the textbook
 * sum-of-squares formula cancels catastrophically (large values with a small spread, such as epoch
 * milliseconds). Hand-written because it is these twenty lines: Commons Math's moments cannot be merged and
 * continued, and DataSketches has none.
 */
public final class Moments {

    private long count;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    public Moments() {}

    private Moments(long count, double mean, double m2, double min, double max) {
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
        this.min = min;
        this.max = max;
    }

    /**
     * The moments of weighted values (each value counted {@code weight} times), such as a quantile sketch's
     * retained items: exact for the values as given, so for a compacted sketch an approximation of the
     * moments of what it summarises (a reference profile keeps its quantiles, not its moments).
     */
    public static Moments ofWeighted(WeightedValues values) {
        Objects.requireNonNull(values, "values");
        Moments total = new Moments();
        double[] v = values.values();
        long[] w = values.weights();
        for (int i = 0; i < v.length; i++) {
            if (w[i] > 0) {
                total.merge(new Moments(w[i], v[i], 0, v[i], v[i]));
            }
        }
        return total;
    }

    /** @param value finite */
    public void add(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite, was " + value);
        }
        count++;
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
    }

    /** Adds every value the other summarises; the other is unchanged. */
    public void merge(Moments other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("A sketch cannot be merged into itself; merge a copy()");
        }
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            count = other.count;
            mean = other.mean;
            m2 = other.m2;
            min = other.min;
            max = other.max;
            return;
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        // Weights as doubles: count * other.count overflows a long beyond about 3e9 values each.
        double wb = (double) other.count / n;
        mean += delta * wb;
        m2 = m2 + other.m2 + delta * delta * count * wb;
        count = n;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    /** NaN when empty. */
    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** Sum of squared deviations from the mean. */
    public double sumOfSquaredDeviations() {
        return m2;
    }

    /** {@code M2 / n}; NaN when empty. */
    public double populationVariance() {
        return count == 0 ? Double.NaN : m2 / count;
    }

    /** {@code M2 / (n - 1)} (Bessel's correction, as NumPy's {@code var(ddof=1)}); NaN below two values. */
    public double sampleVariance() {
        return count < 2 ? Double.NaN : m2 / (count - 1);
    }

    /** Square root of {@link #sampleVariance()}. */
    public double standardDeviation() {
        return Math.sqrt(sampleVariance());
    }

    /** NaN when empty. */
    public double min() {
        return count == 0 ? Double.NaN : min;
    }

    /** NaN when empty. */
    public double max() {
        return count == 0 ? Double.NaN : max;
    }

    public Moments copy() {
        return new Moments(count, mean, m2, min, max);
    }

    public byte[] toBytes() {
        return new SketchBytes.Writer(SketchBytes.Kind.MOMENTS)
                .writeLong(count)
                .writeDouble(mean)
                .writeDouble(m2)
                .writeDouble(min)
                .writeDouble(max)
                .toByteArray();
    }

    /** @throws SketchFormatException when the bytes are not moments this code can read */
    public static Moments fromBytes(byte[] bytes) {
        SketchBytes.Reader in = SketchBytes.Reader.open(bytes, SketchBytes.Kind.MOMENTS);
        Moments m = new Moments(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
        in.end();
        boolean valid = m.count == 0
                ? m.mean == 0 && m.m2 == 0 && m.min == Double.POSITIVE_INFINITY && m.max == Double.NEGATIVE_INFINITY
                : m.count > 0 && Double.isFinite(m.mean) && m.m2 >= 0 && m.min <= m.max;
        if (!valid) {
            throw in.invalid(
                    "count " + m.count + ", mean " + m.mean + ", M2 " + m.m2 + ", min " + m.min + ", max " + m.max);
        }
        return m;
    }
}
