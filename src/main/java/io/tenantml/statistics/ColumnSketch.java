package io.tenantml.statistics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a profile or a drift test needs to know about one column's values, in bounded memory, mergeable
 * and serialisable: the count of values and of missing ones, and by the column's {@link Kind}
 * <ul>
 * <li>{@code NUMERIC} (numbers, instants as epoch milliseconds): exact {@link Moments} (mean, variance, min,
 * max), a {@link QuantileSketch} (quantiles, ranks, CDF and PMF over split points) and a
 * {@link DistinctCountSketch} (unless the settings keep none, {@link SketchSettings#keepsDistinctCount()});</li>
 * <li>{@code CATEGORICAL} (categories, booleans): a counter per value, exact while the column has at most
 * {@link SketchSettings#exactValueCap()} distinct values (so are its distinct count and shares); beyond, a
 * {@link FrequentValuesSketch} (counts with bounds that always hold) and a {@link DistinctCountSketch};</li>
 * <li>{@code TEXT}: a {@link DistinctCountSketch} only.</li>
 * </ul>
 * A reference profile of training rows and hourly windows of live values are both column sketches:
 * {@link #merge} turns hours into days and weeks without the values, {@link #toBytes()} stores them.
 * Not thread-safe.
 */
public final class ColumnSketch {

    /** What is kept about a column's values; fixed for the life of a sketch. */
    public enum Kind {
        NUMERIC(0),
        CATEGORICAL(1),
        TEXT(2);

        /** Stored in the bytes; never reuse one. */
        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    private final Kind kind;
    /** Not final: merging a sketch that keeps no distinct count drops this one's (see {@link #merge}). */
    private SketchSettings settings;

    private long count;
    private long missing;
    /** NUMERIC only. */
    private Moments moments;
    /** NUMERIC only. */
    private QuantileSketch quantiles;
    /**
     * NUMERIC and TEXT; CATEGORICAL once beyond the cap (built from the exact counts then); else null; always
     * null when the settings keep no distinct count.
     */
    private DistinctCountSketch distinct;
    /** CATEGORICAL while at most {@code exactValueCap} distinct values; else null. */
    private Map<String, long[]> exact;
    /** CATEGORICAL beyond the cap; else null. */
    private FrequentValuesSketch frequent;

    public ColumnSketch(Kind kind, SketchSettings settings) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.settings = Objects.requireNonNull(settings, "settings");
        boolean numeric = kind == Kind.NUMERIC;
        this.moments = numeric ? new Moments() : null;
        this.quantiles = numeric ? new QuantileSketch(settings.quantileK()) : null;
        this.distinct = kind != Kind.CATEGORICAL && settings.keepsDistinctCount()
                ? new DistinctCountSketch(settings.distinctLgK())
                : null;
        this.exact = kind == Kind.CATEGORICAL ? new HashMap<>() : null;
    }

    public ColumnSketch(Kind kind) {
        this(kind, SketchSettings.DEFAULTS);
    }

    /** A numeric value. @param value finite: NaN or an infinity is refused (count it with {@link #addMissing()}) */
    public void add(double value) {
        require(Kind.NUMERIC, "add(double)");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite, was " + value);
        }
        count++;
        moments.add(value);
        quantiles.add(value);
        if (distinct != null) {
            distinct.add(value);
        }
    }

    /** A categorical or text value; the empty string is a value like any other. */
    public void add(String value) {
        Objects.requireNonNull(value, "value");
        if (kind == Kind.NUMERIC) {
            throw new IllegalStateException("add(String) on a NUMERIC column sketch; use add(double)");
        }
        count++;
        if (kind == Kind.TEXT) {
            addDistinct(value);
        } else if (exact != null) {
            long[] c = exact.get(value);
            if (c != null) {
                c[0]++;
            } else if (exact.size() < settings.exactValueCap()) {
                exact.put(value, new long[] {1});
            } else {
                beyondCap();
                frequent.add(value);
                addDistinct(value);
            }
        } else {
            frequent.add(value);
            addDistinct(value);
        }
    }

    /**
     * {@code occurrences} of a categorical or text value at once: the same sketch as adding it that many times
     * (for a caller that counted values by code first, such as a window of encoded categories).
     */
    public void add(String value, long occurrences) {
        Objects.requireNonNull(value, "value");
        if (occurrences < 0) {
            throw new IllegalArgumentException("occurrences must be >= 0, was " + occurrences);
        }
        if (kind == Kind.NUMERIC) {
            throw new IllegalStateException("add(String, long) on a NUMERIC column sketch; use add(double)");
        }
        if (occurrences == 0) {
            return;
        }
        count += occurrences;
        if (kind == Kind.TEXT) {
            addDistinct(value);
        } else if (exact != null) {
            long[] c = exact.get(value);
            if (c != null) {
                c[0] += occurrences;
            } else if (exact.size() < settings.exactValueCap()) {
                exact.put(value, new long[] {occurrences});
            } else {
                beyondCap();
                frequent.add(value, occurrences);
                addDistinct(value);
            }
        } else {
            frequent.add(value, occurrences);
            addDistinct(value);
        }
    }

    private void addDistinct(String value) {
        if (distinct != null) {
            distinct.add(value);
        }
    }

    /** {@code occurrences} missing values at once. */
    public void addMissing(long occurrences) {
        if (occurrences < 0) {
            throw new IllegalArgumentException("occurrences must be >= 0, was " + occurrences);
        }
        missing += occurrences;
    }

    /** A missing value (null, empty, NaN: what counts as missing is the caller's to say). */
    public void addMissing() {
        missing++;
    }

    /**
     * Adds everything the other sketch summarises (of the same kind; its settings may differ: this one keeps
     * its own, and the bounds are those of the less accurate of the two). When the other keeps no distinct
     * count and this one does, this one stops keeping it (a distinct count of part of the values would be
     * wrong). The other is unchanged.
     */
    public void merge(ColumnSketch other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            throw new IllegalArgumentException("A sketch cannot be merged into itself; merge a copy()");
        }
        if (other.kind != kind) {
            throw new IllegalArgumentException(
                    "Cannot merge a " + other.kind + " column sketch into a " + kind + " one");
        }
        if (settings.keepsDistinctCount() && !other.settings.keepsDistinctCount()) {
            settings = settings.withoutDistinctCount();
            distinct = null;
        }
        count += other.count;
        missing += other.missing;
        switch (kind) {
            case NUMERIC -> {
                moments.merge(other.moments);
                quantiles.merge(other.quantiles);
                mergeDistinct(other);
            }
            case TEXT -> mergeDistinct(other);
            case CATEGORICAL -> mergeCategorical(other);
        }
    }

    private void mergeCategorical(ColumnSketch other) {
        if (exact != null && other.exact != null) {
            int added = 0;
            for (String v : other.exact.keySet()) {
                if (!exact.containsKey(v)) {
                    added++;
                }
            }
            if (exact.size() + added <= settings.exactValueCap()) {
                other.exact.forEach((v, c) -> exact.computeIfAbsent(v, x -> new long[1])[0] += c[0]);
                return;
            }
        }
        if (exact != null) {
            beyondCap();
        }
        if (other.exact != null) {
            other.exact.forEach((v, c) -> {
                frequent.add(v, c[0]);
                addDistinct(v);
            });
        } else {
            frequent.merge(other.frequent);
            mergeDistinct(other);
        }
    }

    /** Called after {@link #merge} dropped this one's distinct count if the other keeps none. */
    private void mergeDistinct(ColumnSketch other) {
        if (distinct != null) {
            distinct.merge(other.distinct);
        }
    }

    /** From exact counts to sketches, with what was counted so far: no value is lost or counted twice. */
    private void beyondCap() {
        frequent = new FrequentValuesSketch(settings.frequentValuesMapSize());
        distinct = settings.keepsDistinctCount() ? new DistinctCountSketch(settings.distinctLgK()) : null;
        exact.forEach((v, c) -> {
            frequent.add(v, c[0]);
            addDistinct(v);
        });
        exact = null;
    }

    public Kind kind() {
        return kind;
    }

    public SketchSettings settings() {
        return settings;
    }

    /** Values added (not missing), exact. */
    public long count() {
        return count;
    }

    /** Missing values, exact. */
    public long missing() {
        return missing;
    }

    /**
     * Exact for a categorical column within the cap; else HLL's estimate and bounds.
     *
     * @throws IllegalStateException when the sketch keeps no distinct count (see {@link SketchSettings})
     */
    public DistinctCount distinct() {
        if (exact != null) {
            return DistinctCount.exact(exact.size());
        }
        if (distinct == null) {
            throw new IllegalStateException("This column sketch keeps no distinct count");
        }
        return DistinctCount.of(distinct, count);
    }

    // ---- numeric ----

    /** A copy of the exact moments (mean, variance, min, max) of a numeric column. */
    public Moments moments() {
        require(Kind.NUMERIC, "moments()");
        return moments.copy();
    }

    /** A copy of the quantile sketch of a numeric column (the drift tests read its CDF). */
    public QuantileSketch quantileSketch() {
        require(Kind.NUMERIC, "quantileSketch()");
        return quantiles.copy();
    }

    /** See {@link QuantileSketch#quantile}; the column must have values. */
    public double quantile(double rank) {
        require(Kind.NUMERIC, "quantile(rank)");
        return quantiles.quantile(rank);
    }

    /** See {@link QuantileSketch#quantiles}; the column must have values. */
    public double[] quantiles(double... ranks) {
        require(Kind.NUMERIC, "quantiles(ranks)");
        return quantiles.quantiles(ranks);
    }

    /** See {@link QuantileSketch#rank(double, Intervals)}; the column must have values. */
    public double rank(double value, Intervals intervals) {
        require(Kind.NUMERIC, "rank(value)");
        return quantiles.rank(value, intervals);
    }

    /** See {@link QuantileSketch#cdf}; the column must have values. */
    public double[] cdf(double[] splitPoints, Intervals intervals) {
        require(Kind.NUMERIC, "cdf(splitPoints)");
        return quantiles.cdf(splitPoints, intervals);
    }

    /** See {@link QuantileSketch#pmf}; the column must have values. */
    public double[] pmf(double[] splitPoints, Intervals intervals) {
        require(Kind.NUMERIC, "pmf(splitPoints)");
        return quantiles.pmf(splitPoints, intervals);
    }

    /** The rank error bound of this column's quantiles, ranks and CDF (99% confidence). */
    public double rankError() {
        require(Kind.NUMERIC, "rankError()");
        return quantiles.normalizedRankError();
    }

    /** The error bound of one PMF mass (99% confidence). */
    public double pmfError() {
        require(Kind.NUMERIC, "pmfError()");
        return quantiles.normalizedRankErrorOfPmf();
    }

    // ---- categorical ----

    /** Whether {@link #frequency}, {@link #mostFrequent} and {@link #pmf(List)} are exact counts. */
    public boolean hasExactValueCounts() {
        require(Kind.CATEGORICAL, "hasExactValueCounts()");
        return exact != null;
    }

    /** How often {@code value} occurs: exact within the cap, else with bounds that always hold. */
    public ValueFrequency frequency(String value) {
        Objects.requireNonNull(value, "value");
        require(Kind.CATEGORICAL, "frequency(value)");
        if (exact != null) {
            long[] c = exact.get(value);
            return ValueFrequency.exact(value, c == null ? 0 : c[0]);
        }
        return frequent.frequency(value);
    }

    /** The most frequent values, most frequent first (ties by value), at most {@code limit}. */
    public List<ValueFrequency> mostFrequent(int limit) {
        require(Kind.CATEGORICAL, "mostFrequent(limit)");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        if (exact == null) {
            return frequent.mostFrequent(limit);
        }
        List<ValueFrequency> all = new ArrayList<>(exact.size());
        exact.forEach((v, c) -> all.add(ValueFrequency.exact(v, c[0])));
        all.sort(FrequentValuesSketch.MOST_FREQUENT_FIRST);
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : List.copyOf(all);
    }

    /**
     * The share of the column's values that each of {@code values} takes, and last the share of all other
     * values: {@code values.size() + 1} shares adding up to 1 (the categorical counterpart of
     * {@link #pmf(double[], Intervals)}, for chi-squared or PSI over categories). Beyond the cap each share is
     * an estimate within {@code FrequentValuesSketch#epsilon()} of the truth.
     *
     * @param values distinct
     */
    public double[] pmf(List<String> values) {
        Objects.requireNonNull(values, "values");
        require(Kind.CATEGORICAL, "pmf(values)");
        if (count == 0) {
            throw new IllegalStateException("The column has no values: no shares");
        }
        Set<String> seen = new HashSet<>();
        double[] shares = new double[values.size() + 1];
        double listed = 0;
        for (int i = 0; i < values.size(); i++) {
            String v = Objects.requireNonNull(values.get(i), "values[" + i + "]");
            if (!seen.add(v)) {
                throw new IllegalArgumentException("values must be distinct: '" + v + "' is repeated at " + i);
            }
            shares[i] = (double) frequency(v).estimate() / count;
            listed += shares[i];
        }
        shares[values.size()] = Math.max(0, 1 - listed);
        return shares;
    }

    // ---- bytes ----

    public ColumnSketch copy() {
        return fromBytes(toBytes());
    }

    /** See {@code SketchBytes} for the envelope; the payload is documented in the code below. */
    public byte[] toBytes() {
        SketchBytes.Writer out = new SketchBytes.Writer(SketchBytes.Kind.COLUMN)
                .writeByte(kind.code)
                .writeInt(settings.quantileK())
                .writeInt(settings.distinctLgK())
                .writeInt(settings.frequentValuesMapSize())
                .writeInt(settings.exactValueCap())
                .writeLong(count)
                .writeLong(missing);
        switch (kind) {
            // the distinct-count block is there only when the settings (written above) keep one
            case NUMERIC -> {
                out.writeBlock(moments.toBytes()).writeBlock(quantiles.toBytes());
                writeDistinct(out);
            }
            case TEXT -> writeDistinct(out);
            case CATEGORICAL -> {
                if (exact != null) {
                    // Sorted by value, so that the same counts always give the same bytes.
                    out.writeByte(EXACT).writeInt(exact.size());
                    exact.entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .forEach(e -> out.writeString(e.getKey()).writeLong(e.getValue()[0]));
                } else {
                    out.writeByte(SKETCHED).writeBlock(frequent.toBytes());
                    writeDistinct(out);
                }
            }
        }
        return out.toByteArray();
    }

    private void writeDistinct(SketchBytes.Writer out) {
        if (distinct != null) {
            out.writeBlock(distinct.toBytes());
        }
    }

    private static DistinctCountSketch readDistinct(SketchBytes.Reader in, SketchSettings settings) {
        return settings.keepsDistinctCount() ? DistinctCountSketch.fromBytes(in.readBlock()) : null;
    }

    private static final int EXACT = 0;
    private static final int SKETCHED = 1;

    /** @throws SketchFormatException when the bytes are not a column sketch this code can read */
    public static ColumnSketch fromBytes(byte[] bytes) {
        SketchBytes.Reader in = SketchBytes.Reader.open(bytes, SketchBytes.Kind.COLUMN);
        int code = in.readByte();
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.code == code) {
                kind = k;
            }
        }
        if (kind == null) {
            throw in.invalid("unknown column kind " + code);
        }
        SketchSettings settings;
        try {
            settings = new SketchSettings(in.readInt(), in.readInt(), in.readInt(), in.readInt());
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
        ColumnSketch s = new ColumnSketch(kind, settings);
        s.count = in.readLong();
        s.missing = in.readLong();
        if (s.count < 0 || s.missing < 0) {
            throw in.invalid("count " + s.count + ", missing " + s.missing);
        }
        long counted;
        switch (kind) {
            case NUMERIC -> {
                s.moments = Moments.fromBytes(in.readBlock());
                s.quantiles = QuantileSketch.fromBytes(in.readBlock());
                s.distinct = readDistinct(in, settings);
                counted = s.moments.count();
                if (s.quantiles.count() != counted) {
                    throw in.invalid("moments count " + counted + " but quantiles count " + s.quantiles.count());
                }
            }
            case TEXT -> {
                s.distinct = readDistinct(in, settings);
                counted = s.count;
            }
            case CATEGORICAL -> {
                int mode = in.readByte();
                if (mode == EXACT) {
                    int n = in.readInt();
                    if (n < 0 || n > settings.exactValueCap()) {
                        throw in.invalid(n + " exact counts, cap " + settings.exactValueCap());
                    }
                    counted = 0;
                    for (int i = 0; i < n; i++) {
                        String value = in.readString();
                        long c = in.readLong();
                        if (c <= 0 || s.exact.put(value, new long[] {c}) != null) {
                            throw in.invalid("a repeated value or a count below 1 (" + c + ")");
                        }
                        counted += c;
                    }
                } else if (mode == SKETCHED) {
                    s.exact = null;
                    s.frequent = FrequentValuesSketch.fromBytes(in.readBlock());
                    s.distinct = readDistinct(in, settings);
                    counted = s.frequent.total();
                } else {
                    throw in.invalid("unknown categorical mode " + mode);
                }
            }
            default -> throw new IllegalStateException();
        }
        if (counted != s.count) {
            throw in.invalid("count " + s.count + " but its parts hold " + counted + " values");
        }
        in.end();
        return s;
    }

    private void require(Kind expected, String operation) {
        if (kind != expected) {
            throw new IllegalStateException(operation + " needs a " + expected + " column sketch; this one is " + kind);
        }
    }
}
