package io.tenantml.statistics;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.util.Objects;
import java.util.Random;
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
 * <b>Deterministic.</b> KLL keeps one of two neighbours at random when it compacts. DataSketches draws that
 * coin from one static {@code java.util.Random} shared by every KLL sketch in the JVM, unseeded, and its API
 * offers no way to give a sketch its own. Left alone, two sketches of the same stream would differ once they
 * compact, and a window whose verdict sits at a rule's edge could change from run to run. So this class feeds
 * values to KLL in batches of {@link #BATCH} (and merges) while holding that generator's monitor, having first
 * reseeded it from the sketch's own state and the data (the count already in it and a hash of the batch's
 * values; for a merge, both sketches' counts and extremes): the coins a sketch draws then depend only on what was
 * added to it, in what order, and where reads and merges fell between the adds. The same values added the same
 * way give byte-identical {@link #toBytes()}, on every run and node. Each batch's coins come from a fresh,
 * well-mixed seed that depends on its values, so sketches of different data (the hourly parts of a day) do not
 * share coin sequences and their errors do not line up when merged: the accuracy bound above is unchanged
 * ({@code QuantileSketchTest} checks it, merged parts included). The generator is found by reflection once; if a later
 * DataSketches release renames it, this class fails at load and its test says so (see {@link #COIN}).
 * Values wait in the batch (at most {@link #BATCH}, 1 KiB) until the batch fills or the sketch is read,
 * merged or serialised; every answer includes them.
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

    /** Values added to KLL at once, under {@link #COIN}'s monitor; also the most a sketch holds back. */
    static final int BATCH = 128;

    /**
     * DataSketches' one KLL generator ({@code KllSketch.random}, package-private): reseeded before each batch or
     * merge, and only used while its monitor is held, so that no other sketch draws in between.
     */
    private static final Random COIN = kllCoin();

    private final KllDoublesSketch kll;

    /** Values added but not yet in {@link #kll}; allocated at the first add (read-only sketches never need it). */
    private double[] pending;

    private int pendingCount;

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
        if (pending == null) {
            pending = new double[BATCH];
        }
        pending[pendingCount++] = value;
        if (pendingCount == BATCH) {
            flush();
        }
    }

    /**
     * Adds every value of the other sketch to this one; the other answers as before (its held-back values are
     * moved into its KLL first, which is why it is touched at all).
     */
    public void merge(QuantileSketch other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("A sketch cannot be merged into itself; merge a copy()");
        }
        flush();
        other.flush();
        if (other.kll.isEmpty()) {
            return;
        }
        long extremes = Double.doubleToRawLongBits(other.kll.getMinItem())
                ^ Long.rotateLeft(Double.doubleToRawLongBits(other.kll.getMaxItem()), 17);
        if (!kll.isEmpty()) {
            extremes ^= Long.rotateLeft(Double.doubleToRawLongBits(kll.getMinItem()), 29)
                    ^ Long.rotateLeft(Double.doubleToRawLongBits(kll.getMaxItem()), 43);
        }
        long seed = seed(MERGE ^ extremes, kll.getN(), other.kll.getN());
        synchronized (COIN) {
            COIN.setSeed(seed);
            kll.merge(other.kll);
        }
    }

    /** Moves the held-back values into KLL, with coins seeded from the sketch's state (see the class comment). */
    private void flush() {
        if (pendingCount == 0) {
            return;
        }
        long values = 0;
        for (int i = 0; i < pendingCount; i++) {
            values = (values ^ Double.doubleToRawLongBits(pending[i])) * 0x9e3779b97f4a7c15L;
            values ^= values >>> 32;
        }
        long seed = seed(UPDATE ^ values, kll.getN(), pendingCount);
        synchronized (COIN) {
            COIN.setSeed(seed);
            for (int i = 0; i < pendingCount; i++) {
                kll.update(pending[i]);
            }
        }
        pendingCount = 0;
    }

    private static final long UPDATE = 0x4b4c4c5570646174L; // "KLLUpdat"
    private static final long MERGE = 0x4b4c4c4d65726765L; // "KLLMerge"

    /** A well-mixed seed from a salt and two counts (SplitMix64's finaliser over their combination). */
    static long seed(long operation, long a, long b) {
        long z = operation ^ (a * 0x9e3779b97f4a7c15L) ^ Long.rotateLeft(b * 0xc2b2ae3d27d4eb4fL, 31);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static Random kllCoin() {
        try {
            Field field = KllSketch.class.getDeclaredField("random");
            field.setAccessible(true);
            return (Random) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // without it compaction would be unseeded again: refuse to run rather than give verdicts that vary
            throw new IllegalStateException(
                    "DataSketches' KLL generator (KllSketch.random) is not reachable in this release (" + e
                            + "); QuantileSketch cannot make compaction deterministic without it",
                    e);
        }
    }

    /** The configured {@code k} (after a merge with a smaller one, the bound is that of the smaller). */
    public int k() {
        return kll.getK();
    }

    public long count() {
        return kll.getN() + pendingCount;
    }

    public boolean isEmpty() {
        return pendingCount == 0 && kll.isEmpty();
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
        flush();
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
        flush();
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

    /** Every answer goes through here: the held-back values join KLL first. */
    private void requireValues() {
        flush();
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
