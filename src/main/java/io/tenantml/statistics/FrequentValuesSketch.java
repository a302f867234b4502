package io.tenantml.statistics;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.FrequentItemsSketch;

/**
 * The most frequent values of a stream of strings and their counts: Apache DataSketches'
 * {@link FrequentItemsSketch} (the Misra-Gries family, as in Anderson et al. 2017).
 * <p>
 * <b>Accuracy.</b> Exact while fewer than {@code 0.75 * maxMapSize} distinct values have been seen. Beyond, every
 * count is known within {@code [lowerBound, upperBound]} (bounds that always hold, not only with some
 * probability), and {@code upperBound - lowerBound <= epsilon * total} with {@link #epsilon()} = 3.5 / maxMapSize:
 * 0.34% of the total at {@link #DEFAULT_MAX_MAP_SIZE}. So any value more frequent than that share is among
 * {@link #mostFrequent}. Deterministic.
 * <p>
 * <b>Merge.</b> {@link #merge} gives the sketch of both streams, with the bounds summed.
 */
public final class FrequentValuesSketch {

    /** 1,024: at most 768 values tracked, about 18 KiB plus the strings in memory. */
    public static final int DEFAULT_MAX_MAP_SIZE = 1024;

    public static final int MIN_MAX_MAP_SIZE = 8;
    public static final int MAX_MAX_MAP_SIZE = 1 << 26;

    private static final ArrayOfStringsSerDe UTF8 = new ArrayOfStringsSerDe();

    private final FrequentItemsSketch<String> sketch;

    /** @param maxMapSize a power of two from {@link #MIN_MAX_MAP_SIZE} to {@link #MAX_MAX_MAP_SIZE} */
    public FrequentValuesSketch(int maxMapSize) {
        this(new FrequentItemsSketch<>(checkMaxMapSize(maxMapSize)));
    }

    public FrequentValuesSketch() {
        this(DEFAULT_MAX_MAP_SIZE);
    }

    private FrequentValuesSketch(FrequentItemsSketch<String> sketch) {
        this.sketch = sketch;
    }

    static int checkMaxMapSize(int maxMapSize) {
        if (maxMapSize < MIN_MAX_MAP_SIZE || maxMapSize > MAX_MAX_MAP_SIZE || Integer.bitCount(maxMapSize) != 1) {
            throw new IllegalArgumentException("maxMapSize must be a power of two in [" + MIN_MAX_MAP_SIZE + ", "
                    + MAX_MAX_MAP_SIZE + "], was " + maxMapSize);
        }
        return maxMapSize;
    }

    public void add(String value) {
        Objects.requireNonNull(value, "value");
        sketch.update(value);
    }

    /** Adds {@code count} occurrences of {@code value} at once. */
    public void add(String value, long count) {
        Objects.requireNonNull(value, "value");
        if (count <= 0) {
            throw new IllegalArgumentException("count must be > 0, was " + count);
        }
        sketch.update(value, count);
    }

    /** Adds every occurrence counted by the other sketch to this one; the other is unchanged. */
    public void merge(FrequentValuesSketch other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("A sketch cannot be merged into itself; merge a copy()");
        }
        sketch.merge(other.sketch);
    }

    /** Occurrences added, exact. */
    public long total() {
        return sketch.getStreamLength();
    }

    public boolean isEmpty() {
        return sketch.isEmpty();
    }

    /** The largest possible error of any count (0 while exact). */
    public long maximumError() {
        return sketch.getMaximumError();
    }

    /** The worst-case error of a count as a share of the total, 3.5 / maxMapSize. */
    public double epsilon() {
        return FrequentItemsSketch.getEpsilon(sketch.getMaximumMapCapacity() * 4 / 3);
    }

    /** The count of one value; a value not tracked has estimate 0 and an upper bound of {@link #maximumError()}. */
    public ValueFrequency frequency(String value) {
        Objects.requireNonNull(value, "value");
        long estimate = sketch.getEstimate(value);
        long lower = sketch.getLowerBound(value);
        long upper = sketch.getUpperBound(value);
        return new ValueFrequency(value, estimate, lower, upper);
    }

    /** The tracked values, most frequent first (ties by value), at most {@code limit} of them. */
    public List<ValueFrequency> mostFrequent(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        // NO_FALSE_NEGATIVES at the sketch's own error: every value with a positive counter.
        return Arrays.stream(sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES))
                .map(r -> new ValueFrequency(r.getItem(), r.getEstimate(), r.getLowerBound(), r.getUpperBound()))
                .sorted(MOST_FREQUENT_FIRST)
                .limit(limit)
                .toList();
    }

    static final Comparator<ValueFrequency> MOST_FREQUENT_FIRST =
            Comparator.comparingLong(ValueFrequency::estimate).reversed().thenComparing(ValueFrequency::value);

    public FrequentValuesSketch copy() {
        return fromBytes(toBytes());
    }

    public byte[] toBytes() {
        return new SketchBytes.Writer(SketchBytes.Kind.FREQUENT_VALUES)
                .writeBlock(sketch.toByteArray(UTF8))
                .toByteArray();
    }

    /** @throws SketchFormatException when the bytes are not a frequent-values sketch this code can read */
    public static FrequentValuesSketch fromBytes(byte[] bytes) {
        SketchBytes.Reader in = SketchBytes.Reader.open(bytes, SketchBytes.Kind.FREQUENT_VALUES);
        byte[] block = in.readBlock();
        in.end();
        try {
            return new FrequentValuesSketch(FrequentItemsSketch.getInstance(MemorySegment.ofArray(block), UTF8));
        } catch (RuntimeException e) {
            throw new SketchFormatException("Not a readable frequent-items sketch: " + e.getMessage(), e);
        }
    }
}
