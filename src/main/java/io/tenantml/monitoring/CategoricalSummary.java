package io.tenantml.monitoring;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A categorical feature's counts per category. Counts are exact when {@code maxCountError} is 0 (capped
 * exact counts); a frequent-items sketch states the largest error of any listed count, and the statistics
 * then judge conservatively (see {@code docs/architecture.md}, "Drift decision").
 *
 * @param count number of values summarised (exact)
 * @param counts count per category, sorted by category; every count positive
 * @param maxCountError largest absolute error of any listed count (0: exact)
 */
public record CategoricalSummary(long count, Map<String, Long> counts, long maxCountError) implements FeatureSummary {

    public CategoricalSummary {
        Objects.requireNonNull(counts, "counts");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        if (maxCountError < 0) {
            throw new IllegalArgumentException("maxCountError must not be negative, was " + maxCountError);
        }
        TreeMap<String, Long> sorted = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            Objects.requireNonNull(e.getKey(), "category");
            long c = Objects.requireNonNull(e.getValue(), "count of " + e.getKey());
            if (c <= 0) {
                throw new IllegalArgumentException("count of category '" + e.getKey() + "' must be positive, was " + c);
            }
            sorted.put(e.getKey(), c);
            total += c;
        }
        if (maxCountError == 0 && total != count) {
            throw new IllegalArgumentException(
                    "exact counts must add up to count: " + total + " listed, count " + count);
        }
        counts = Collections.unmodifiableSortedMap(sorted);
    }

    /** Exact counts of raw labels. */
    public static CategoricalSummary of(Collection<String> values) {
        TreeMap<String, Long> counts = new TreeMap<>();
        for (String v : values) {
            counts.merge(Objects.requireNonNull(v, "value"), 1L, Long::sum);
        }
        return new CategoricalSummary(values.size(), counts, 0);
    }

    /** Exact counts. */
    public static CategoricalSummary ofCounts(Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return new CategoricalSummary(total, counts, 0);
    }

    @Override
    public FeatureKind kind() {
        return FeatureKind.CATEGORICAL;
    }
}
