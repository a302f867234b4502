package io.tenantml.statistics;

import java.util.Objects;

/**
 * Sorted distinct-or-repeated values, each with the number of original values it stands for: a quantile
 * sketch's view of its stream.
 *
 * @param values ascending
 * @param weights positive, one per value; their sum is the sketch's count
 */
public record WeightedValues(double[] values, long[] weights) {

    public WeightedValues {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(weights, "weights");
        if (values.length != weights.length) {
            throw new IllegalArgumentException(
                    "values and weights differ in length: " + values.length + " and " + weights.length);
        }
    }
}
