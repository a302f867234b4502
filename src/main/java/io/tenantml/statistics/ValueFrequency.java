package io.tenantml.statistics;

import java.util.Objects;

/**
 * How often one value occurs: the estimate and bounds that always hold, {@code lowerBound <= true count <=
 * upperBound}; all three equal when the count is exact.
 */
public record ValueFrequency(String value, long estimate, long lowerBound, long upperBound) {

    public ValueFrequency {
        Objects.requireNonNull(value, "value");
        if (lowerBound < 0) {
            throw new IllegalArgumentException("lowerBound must be >= 0, was " + lowerBound);
        }
        if (estimate < lowerBound || estimate > upperBound) {
            throw new IllegalArgumentException("estimate must lie in [lowerBound, upperBound] = [" + lowerBound + ", "
                    + upperBound + "], was " + estimate);
        }
    }

    static ValueFrequency exact(String value, long count) {
        return new ValueFrequency(value, count, count, count);
    }

    public boolean isExact() {
        return lowerBound == upperBound;
    }
}
