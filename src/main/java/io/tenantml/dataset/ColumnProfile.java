package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Statistics of one column of a stored version, computed in the single ingestion pass from the column's
 * mergeable sketch ({@link io.tenantml.statistics.ColumnSketch}, stored with the version; see
 * {@link DatasetReader#sketches}). Bounds below are those of the sketch settings of dataset profiles. Two
 * ingestions of the same rows give the same profile except for quantiles and histogram counts, which KLL's
 * random compaction can make differ within the bounds given.
 *
 * @param count     values present (not missing), exact
 * @param missing   missing values, exact
 * @param distinct  distinct present values: exact for categorical and boolean columns with at most 1,000
 *                  distinct values; otherwise a HyperLogLog estimate (lgK 12: about 1.3% relative standard
 *                  error, 1.6% after merges; practically exact below about 1,000), never above {@code count}
 * @param min       numeric, integer and timestamp columns (timestamps as epoch milliseconds), exact; so are
 *                  {@code max} and {@code mean}
 * @param std       sample standard deviation (n - 1), exact; numeric and integer columns
 * @param quantiles numeric and integer columns; keys p1, p5, p25, p50, p75, p95, p99: each a value of the
 *                  column (no interpolation) from a KLL sketch (k = 1,024) whose true rank is within 0.27
 *                  percentage points of the named one with 99% confidence (p99 lies between the true p98.73
 *                  and p99.27); exact while the column has at most 1,024 values
 * @param histogram numeric and integer columns: 20 equal-width bins over [min, max]; each bin's count within
 *                  0.35% of {@code count} (the sketch's PMF bound, 99% confidence), the counts adding up to
 *                  {@code count}
 * @param topValues categorical and boolean columns: the 20 most frequent values with their counts, exact
 *                  while the column has at most 1,000 distinct values; beyond, frequent-items estimates within
 *                  0.34% of {@code count} of the true counts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnProfile(
        String name,
        ColumnType type,
        long count,
        long missing,
        long distinct,
        Double min,
        Double max,
        Double mean,
        Double std,
        Map<String, Double> quantiles,
        Histogram histogram,
        List<ValueCount> topValues) {

    /** {@code counts[i]} values fall in {@code [edges[i], edges[i+1])}, the last bin closed. */
    public record Histogram(List<Double> edges, List<Long> counts) {}

    public record ValueCount(String value, long count) {}
}
