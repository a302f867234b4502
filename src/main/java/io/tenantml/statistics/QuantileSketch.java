package io.tenantml.statistics;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;

/**
 * Quantiles, ranks, CDF and PMF of a stream of numbers in bounded memory: a KLL sketch of doubles (Karnin, Lang,
 * Liberty 2016; Apache DataSketches' {@link KllDoublesSketch}).
 * <p>
 * <b>Accuracy.</b> A rank answered (by {@link #rank}, {@link #cdf}, or the rank of the value {@link #quantile}
 * returns) is within {@link #normalizedRankError()} of the true rank with 99% confidence, whatever the
 * distribution; a PMF mass within {@link #normalizedRankErrorOfPmf()}. The bound depends only on {@code k}:
 * about 1.33% at {@link #DEFAULT_K} 200, roughly halving when {@code k} doubles. Exact (every value kept) until
 * the first compaction, that is for up to about {@code k} values. {@link #quantile} returns a value that was
 * added, never an interpolation; {@link #min()} and {@link #max()} are exact.
 * <p>
 * <b>Why doubles and not floats.</b> Column values are doubles (prices, amounts, epoch milliseconds): floats
 * carry 24 bits, so a quantile of epoch milliseconds would be off by minutes and one of 0.1 would come back as
 * 0.10000000149, a value that is not in the data. Doubles cost 8 instead of 4 bytes per retained value, that
 * is about 5 KB instead of 2.5 KB per sketch at k = 200.
 * <p>
 * <b>Not deterministic.</b> KLL keeps one of two neighbours at random when it compacts, drawing from
 * DataSketches' own unseeded generator (it cannot be seeded per sketch). Two sketches of the same stream
 * therefore agree only within the bound above once they have compacted; merged sketches likewise.
 * <p>
 * <b>Merge.</b> {@link #merge} of the sketches of parts answers like a sketch of the whole, within the bound
 * of the smaller {@code k} of the two.
 */
public final class QuantileSketch {

    /** The default {@code k}: DataSketches' default; 99%-confidence rank error about 1.33%. */
    public static final int DEFAULT_K = KllSketch.DEFAULT_K;

    /** Smallest {@code k} KLL accepts. */
    public static final int MIN_K = 8;

    /** Largest {@code k} KLL accepts. */
    public static final int MAX_K = KllSketch.MAX_K;

    private final KllDoublesSketch kll;

    /**
     * @param k size and accuracy: retained values grow about linearly with {@code k}, the rank error falls
     *          about as {@code 1/k}; from {@link #MIN_K} to {@link #MAX_K}
     */
    public QuantileSketch(int k) {
        this(KllDoublesSketch.newHeapInstance(checkK(k)));
    }

    public QuantileSketch() {
        this(DEFAULT_K);
    }

    private QuantileSketch(KllDoublesSketch kll) {
        this.kll = kll;
    }

    static int checkK(int k) {
        if (k < MIN_K || k > MAX_K) {
            throw new IllegalArgumentException("k must be in [" + MIN_K + ", " + MAX_K + "], was " + k);
        }
        return k;
    }

    /** @param value finite; NaN or an infinity is refused (a missing value is the caller's to count) */
    public void add(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite, was " + value);
        }
        kll.update(value);
    }

    /** Adds every value of the other sketch to this one; the other is unchanged. */
    public void merge(QuantileSketch other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("A sketch cannot be merged into itself; merge a copy()");
        }
        kll.merge(other.kll);
    }

    /** The configured {@code k} (after a merge with a smaller one, the bound is that of the smaller). */
    public int k() {
        return kll.getK();
    }

    public long count() {
        return kll.getN();
    }

    public boolean isEmpty() {
        return kll.isEmpty();
    }

    /** Exact smallest value added. */
    public double min() {
        requireValues();
        return kll.getMinItem();
    }

    /**
     * The sketch's retained values in ascending order with the weight (number of added values) each stands
     * for: the step function that every rank and quantile of this sketch is read from. Exact (weights all 1,
     * or the counts of repeated values) while {@link #isExact()}.
     */
    public WeightedValues weightedValues() {
        requireValues();
        var view = kll.getSortedView();
        double[] values = view.getQuantiles();
        long[] cumulative = view.getCumulativeWeights();
        long[] weights = new long[values.length];
        long previous = 0;
        for (int i = 0; i < values.length; i++) {
            weights[i] = cumulative[i] - previous;
            previous = cumulative[i];
        }
        return new WeightedValues(values, weights);
    }

    /** True while the sketch still holds every value added (no compaction yet): ranks are then exact. */
    public boolean isExact() {
        return !kll.isEstimationMode();
    }

    /** Exact largest value added. */
    public double max() {
        requireValues();
        return kll.getMaxItem();
    }

    /**
     * The smallest added value whose rank (share of values at or below it) is at least {@code rank}; rank 0
     * gives the minimum, 1 the maximum.
     */
    public double quantile(double rank) {
        requireValues();
        return kll.getQuantile(checkRank(rank, "rank"), Intervals.RIGHT_CLOSED.criteria);
    }

    /** {@link #quantile} of each rank, in order. */
    public double[] quantiles(double... ranks) {
        Objects.requireNonNull(ranks, "ranks");
        requireValues();
        for (int i = 0; i < ranks.length; i++) {
            checkRank(ranks[i], "ranks[" + i + "]");
        }
        return kll.getQuantiles(ranks, Intervals.RIGHT_CLOSED.criteria);
    }

    /** Share of values at or below {@code value} (the empirical CDF). */
    public double rank(double value) {
        return rank(value, Intervals.RIGHT_CLOSED);
    }

    /** Share of values at or below ({@code RIGHT_CLOSED}) or strictly below ({@code LEFT_CLOSED}) {@code value}. */
    public double rank(double value, Intervals intervals) {
        Objects.requireNonNull(intervals, "intervals");
        requireValues();
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("value must not be NaN");
        }
        return kll.getRank(value, intervals.criteria);
    }

    /**
     * The rank of each split point: {@code splitPoints.length} shares, non-decreasing.
     *
     * @param splitPoints finite, strictly increasing
     */
    public double[] cdf(double[] splitPoints, Intervals intervals) {
        checkSplitPoints(splitPoints);
        Objects.requireNonNull(intervals, "intervals");
        requireValues();
        double[] withTotal = kll.getCDF(splitPoints, intervals.criteria);
        return java.util.Arrays.copyOf(withTotal, splitPoints.length);
    }

    /**
     * The share of values in each of the {@code splitPoints.length + 1} intervals the split points make, from
     * below the first to above the last; the shares add up to 1. Accurate to {@link #normalizedRankErrorOfPmf()}.
     *
     * @param splitPoints finite, strictly increasing
     */
    public double[] pmf(double[] splitPoints, Intervals intervals) {
        checkSplitPoints(splitPoints);
        Objects.requireNonNull(intervals, "intervals");
        requireValues();
        return kll.getPMF(splitPoints, intervals.criteria);
    }

    /** Bound on the error of a rank, as a share of the count (99% confidence; DataSketches' own figure). */
    public double normalizedRankError() {
        return kll.getNormalizedRankError(false);
    }

    /** Bound on the error of one PMF mass, as a share of the count (99% confidence). */
    public double normalizedRankErrorOfPmf() {
        return kll.getNormalizedRankError(true);
    }

    /** A copy that does not share state with this sketch. */
    public QuantileSketch copy() {
        return fromBytes(toBytes());
    }

    public byte[] toBytes() {
        return new SketchBytes.Writer(SketchBytes.Kind.QUANTILES)
                .writeBlock(kll.toByteArray())
                .toByteArray();
    }

    /** @throws SketchFormatException when the bytes are not a quantile sketch this code can read */
    public static QuantileSketch fromBytes(byte[] bytes) {
        SketchBytes.Reader in = SketchBytes.Reader.open(bytes, SketchBytes.Kind.QUANTILES);
        byte[] kll = in.readBlock();
        in.end();
        return new QuantileSketch(kll(kll));
    }

    private static KllDoublesSketch kll(byte[] bytes) {
        try {
            return KllDoublesSketch.heapify(MemorySegment.ofArray(bytes));
        } catch (RuntimeException e) {
            throw new SketchFormatException("Not a readable KLL sketch of doubles: " + e.getMessage(), e);
        }
    }

    private void requireValues() {
        if (kll.isEmpty()) {
            throw new IllegalStateException("The sketch is empty: it has no quantiles, ranks or extremes");
        }
    }

    static double checkRank(double rank, String name) {
        if (!(rank >= 0 && rank <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + rank);
        }
        return rank;
    }

    static void checkSplitPoints(double[] splitPoints) {
        Objects.requireNonNull(splitPoints, "splitPoints");
        for (int i = 0; i < splitPoints.length; i++) {
            if (!Double.isFinite(splitPoints[i])) {
                throw new IllegalArgumentException("splitPoints[" + i + "] must be finite, was " + splitPoints[i]);
            }
            if (i > 0 && !(splitPoints[i] > splitPoints[i - 1])) {
                throw new IllegalArgumentException("splitPoints must be strictly increasing: splitPoints[" + i + "] = "
                        + splitPoints[i] + " follows " + splitPoints[i - 1]);
            }
        }
    }
}
