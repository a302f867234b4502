package io.tenantml.statistics;

/**
 * A number of distinct values: exact (all three equal) or an estimate with bounds at two standard deviations
 * (95.4% confidence), never above the number of values counted.
 */
public record DistinctCount(long estimate, long lowerBound, long upperBound) {

    public DistinctCount {
        if (lowerBound < 0) {
            throw new IllegalArgumentException("lowerBound must be >= 0, was " + lowerBound);
        }
        if (estimate < lowerBound || estimate > upperBound) {
            throw new IllegalArgumentException("estimate must lie in [lowerBound, upperBound] = [" + lowerBound + ", "
                    + upperBound + "], was " + estimate);
        }
    }

    static DistinctCount exact(long count) {
        return new DistinctCount(count, count, count);
    }

    /** Bounds of an HLL sketch, clamped to what {@code values} values allow. */
    static DistinctCount of(DistinctCountSketch sketch, long values) {
        if (values == 0 || sketch.isEmpty()) {
            return exact(0);
        }
        long upper = Math.min(values, (long) Math.ceil(sketch.upperBound(2)));
        long lower = Math.max(1, Math.min(upper, (long) Math.floor(sketch.lowerBound(2))));
        long estimate = Math.max(lower, Math.min(upper, Math.round(sketch.estimate())));
        return new DistinctCount(estimate, lower, upper);
    }

    public boolean isExact() {
        return lowerBound == upperBound;
    }
}
