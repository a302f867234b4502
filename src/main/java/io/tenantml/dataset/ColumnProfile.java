package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Statistics of one column of a stored version, computed in the single ingestion pass.
 *
 * @param count     values present (not missing)
 * @param distinct  approximate (HyperLogLog) number of distinct present values
 * @param min       numeric and integer columns; timestamps as epoch milliseconds
 * @param quantiles keys p1, p5, p25, p50, p75, p95, p99: exact up to 16,384 values, from a seeded
 *                  uniform sample of that size beyond
 * @param topValues categorical and boolean columns: the most frequent values with their counts
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
