package io.tenantml.statistics;

/**
 * The size and accuracy parameters of a {@link ColumnSketch}, stored with its bytes so that a sketch read back
 * (and the sketches merged into it) keeps them.
 *
 * @param quantileK             KLL's {@code k} for numeric columns (see {@link QuantileSketch}): 200 gives a rank
 *                              error of about 1.33% (99% confidence) in about 5 KB
 * @param distinctLgK           HLL's {@code lgK} (see {@link DistinctCountSketch}): 12 gives about 1.6% relative
 *                              standard error in 2 KiB; {@link #NO_DISTINCT_COUNT} (0) keeps no distinct-count
 *                              sketch at all, for sketches whose distinct count nobody reads (a monitoring
 *                              window: the HLL update is about half the cost of a numeric value)
 * @param frequentValuesMapSize the frequent-values map size of categorical columns beyond
 *                              {@code exactValueCap} (see {@link FrequentValuesSketch}): 1,024 bounds every count's
 *                              error by 0.34% of the column's count
 * @param exactValueCap         categorical values counted exactly, one counter each: up to this many distinct
 *                              values a categorical column's value counts and distinct count are exact; 1,000
 *                              matches the categories a model keeps per feature
 */
public record SketchSettings(int quantileK, int distinctLgK, int frequentValuesMapSize, int exactValueCap) {

    /** Largest {@code exactValueCap}: beyond, the frequent-values sketch is the better use of memory. */
    public static final int MAX_EXACT_VALUE_CAP = 100_000;

    /** The {@code distinctLgK} of settings that keep no distinct-count sketch. */
    public static final int NO_DISTINCT_COUNT = 0;

    public static final SketchSettings DEFAULTS = new SketchSettings(
            QuantileSketch.DEFAULT_K,
            DistinctCountSketch.DEFAULT_LG_K,
            FrequentValuesSketch.DEFAULT_MAX_MAP_SIZE,
            1_000);

    /** {@link #DEFAULTS} without the distinct-count sketch. */
    public static final SketchSettings DEFAULTS_WITHOUT_DISTINCT_COUNT = DEFAULTS.withoutDistinctCount();

    public SketchSettings {
        if (quantileK < QuantileSketch.MIN_K || quantileK > QuantileSketch.MAX_K) {
            throw new IllegalArgumentException("quantileK must be in [" + QuantileSketch.MIN_K + ", "
                    + QuantileSketch.MAX_K + "], was " + quantileK);
        }
        if (distinctLgK != NO_DISTINCT_COUNT
                && (distinctLgK < DistinctCountSketch.MIN_LG_K || distinctLgK > DistinctCountSketch.MAX_LG_K)) {
            throw new IllegalArgumentException("distinctLgK must be " + NO_DISTINCT_COUNT + " (none) or in ["
                    + DistinctCountSketch.MIN_LG_K + ", " + DistinctCountSketch.MAX_LG_K + "], was " + distinctLgK);
        }
        if (frequentValuesMapSize < FrequentValuesSketch.MIN_MAX_MAP_SIZE
                || frequentValuesMapSize > FrequentValuesSketch.MAX_MAX_MAP_SIZE
                || Integer.bitCount(frequentValuesMapSize) != 1) {
            throw new IllegalArgumentException(
                    "frequentValuesMapSize must be a power of two in [" + FrequentValuesSketch.MIN_MAX_MAP_SIZE + ", "
                            + FrequentValuesSketch.MAX_MAX_MAP_SIZE + "], was " + frequentValuesMapSize);
        }
        if (exactValueCap < 0 || exactValueCap > MAX_EXACT_VALUE_CAP) {
            throw new IllegalArgumentException(
                    "exactValueCap must be in [0, " + MAX_EXACT_VALUE_CAP + "], was " + exactValueCap);
        }
    }

    /** Whether sketches with these settings keep a distinct-count sketch. */
    public boolean keepsDistinctCount() {
        return distinctLgK != NO_DISTINCT_COUNT;
    }

    /** These settings without the distinct-count sketch. */
    public SketchSettings withoutDistinctCount() {
        return new SketchSettings(quantileK, NO_DISTINCT_COUNT, frequentValuesMapSize, exactValueCap);
    }
}
