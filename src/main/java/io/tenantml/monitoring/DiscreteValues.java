package io.tenantml.monitoring;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a numeric summary of a feature with few distinct values as counts per value, for χ² and JS. */
final class DiscreteValues {

    /** The category of window values that the reference never held; no number prints like it. */
    static final String OTHER = "(other values)";

    private DiscreteValues() {}

    /**
     * Counts of {@code summary} at each of {@code values} (the mass of the CDF's step there), and the rest as
     * {@link #OTHER}. A sketch's counts are off by up to twice its rank error times its count (two CDF
     * reads per value), which the summary states so that the tests judge conservatively.
     */
    static CategoricalSummary counts(NumericSummary summary, double[] values) {
        long n = summary.count();
        Map<String, Long> counts = new LinkedHashMap<>();
        long listed = 0;
        for (double value : values) {
            double mass = summary.cdf(value) - summary.cdf(Math.nextDown(value));
            long count = Math.round(mass * n);
            if (count > 0) {
                counts.put(label(value), count);
                listed += count;
            }
        }
        if (n - listed > 0) {
            counts.put(OTHER, n - listed);
        }
        long error = summary.rankError() == 0 ? 0 : (long) Math.ceil(2 * summary.rankError() * n);
        if (error == 0) {
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            // Rounding of exact masses cannot leave a gap, but an exact summary must add up exactly.
            error = total == n ? 0 : Math.abs(total - n);
        }
        return new CategoricalSummary(n, counts, error);
    }

    private static String label(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }
}
