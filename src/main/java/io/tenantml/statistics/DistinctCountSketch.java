package io.tenantml.statistics;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.HllUnion;
import org.apache.datasketches.hll.TgtHllType;

/**
 * The number of distinct values of a stream: a HyperLogLog sketch (Apache DataSketches' {@link HllSketch}, with
 * its HIP and composite estimators).
 * <p>
 * <b>Accuracy.</b> Relative standard error about {@code 0.8 / sqrt(2^lgK)} for a sketch that was only updated
 * and about {@code 1.04 / sqrt(2^lgK)} after a merge: 1.3% and 1.6% at {@link #DEFAULT_LG_K} 12. Small counts
 * (below about {@code 2^lgK / 4} distinct values) are practically exact. {@link #lowerBound} and
 * {@link #upperBound} give DataSketches' confidence bounds at 1, 2 or 3 standard deviations (68.3%, 95.4%,
 * 99.7%). Deterministic: the same values in the same order give the same estimate (the HIP estimator of an
 * updated sketch depends on the order; a merged sketch answers with the composite estimator, which does not).
 * <p>
 * <b>Values.</b> One sketch counts values of one kind: numbers ({@link #add(double)}, where -0.0 and 0.0 are one
 * value) or strings ({@link #add(String)}, hashed as UTF-8); a number and a string are never the same value only
 * by the hashes' chance. The empty string is a value too.
 * <p>
 * <b>Merge.</b> {@link #merge} gives the sketch of the union; its {@code lgK} is the smaller of the two.
 */
public final class DistinctCountSketch {

    /** DataSketches' default: 2^12 registers, 2 KiB serialised, about 1.6% relative standard error. */
    public static final int DEFAULT_LG_K = HllSketch.DEFAULT_LG_K;

    public static final int MIN_LG_K = 4;
    public static final int MAX_LG_K = 21;

    /** Hashed for the empty string, which DataSketches ignores: 0xFF never occurs in UTF-8, so no string collides. */
    private static final byte[] EMPTY_STRING = {(byte) 0xFF};

    /**
     * Eight bits per register in memory for the fastest updates; stored as four bits per register (DataSketches'
     * compact form, half the size, the same estimates).
     */
    private static final TgtHllType IN_MEMORY = TgtHllType.HLL_8;

    private static final TgtHllType STORED = TgtHllType.HLL_4;

    private HllSketch hll;

    /** @param lgK log2 of the number of registers, from {@link #MIN_LG_K} to {@link #MAX_LG_K} */
    public DistinctCountSketch(int lgK) {
        this(new HllSketch(checkLgK(lgK), IN_MEMORY));
    }

    public DistinctCountSketch() {
        this(DEFAULT_LG_K);
    }

    private DistinctCountSketch(HllSketch hll) {
        this.hll = hll;
    }

    static int checkLgK(int lgK) {
        if (lgK < MIN_LG_K || lgK > MAX_LG_K) {
            throw new IllegalArgumentException("lgK must be in [" + MIN_LG_K + ", " + MAX_LG_K + "], was " + lgK);
        }
        return lgK;
    }

    /** @param value not NaN */
    public void add(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("value must not be NaN");
        }
        hll.update(value);
    }

    public void add(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            hll.update(EMPTY_STRING);
        } else {
            hll.update(value);
        }
    }

    /** Adds every value of the other sketch to this one; the other is unchanged. */
    public void merge(DistinctCountSketch other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("A sketch cannot be merged into itself; merge a copy()");
        }
        HllUnion union = new HllUnion(Math.max(hll.getLgConfigK(), other.hll.getLgConfigK()));
        union.update(hll);
        union.update(other.hll);
        hll = union.getResult(IN_MEMORY);
    }

    public int lgK() {
        return hll.getLgConfigK();
    }

    public boolean isEmpty() {
        return hll.isEmpty();
    }

    public double estimate() {
        return hll.getEstimate();
    }

    /** @param standardDeviations 1, 2 or 3 */
    public double lowerBound(int standardDeviations) {
        return hll.getLowerBound(checkDeviations(standardDeviations));
    }

    /** @param standardDeviations 1, 2 or 3 */
    public double upperBound(int standardDeviations) {
        return hll.getUpperBound(checkDeviations(standardDeviations));
    }

    public DistinctCountSketch copy() {
        return new DistinctCountSketch(hll.copy());
    }

    public byte[] toBytes() {
        return new SketchBytes.Writer(SketchBytes.Kind.DISTINCT_COUNT)
                .writeBlock(hll.copyAs(STORED).toCompactByteArray())
                .toByteArray();
    }

    /** @throws SketchFormatException when the bytes are not a distinct-count sketch this code can read */
    public static DistinctCountSketch fromBytes(byte[] bytes) {
        SketchBytes.Reader in = SketchBytes.Reader.open(bytes, SketchBytes.Kind.DISTINCT_COUNT);
        byte[] block = in.readBlock();
        in.end();
        try {
            return new DistinctCountSketch(
                    HllSketch.heapify(MemorySegment.ofArray(block)).copyAs(IN_MEMORY));
        } catch (RuntimeException e) {
            throw new SketchFormatException("Not a readable HLL sketch: " + e.getMessage(), e);
        }
    }

    private static int checkDeviations(int standardDeviations) {
        if (standardDeviations < 1 || standardDeviations > 3) {
            throw new IllegalArgumentException("standardDeviations must be 1, 2 or 3, was " + standardDeviations);
        }
        return standardDeviations;
    }
}
