package io.tenantml.training;

import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.model.SplitProvenance;
import io.tenantml.statistics.StableHash;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A row's place on [0, 1) by its content and a seed: the random split sends a row to validation when it falls
 * below the holdout fraction ({@link SplitProvenance#ROW_HASH}). It depends on nothing but the row's typed
 * values, so a row keeps its side whatever other rows a version holds (appends, re-uploads), identical rows
 * share a side, and the answer is the same on every JVM.
 * <p>
 * The bytes hashed: the seed (8 bytes, big-endian), then per column, in the order given, its name (length as
 * 4 bytes, UTF-8) and its value: null {@code 0}; a number {@code 1} and its IEEE 754 double bits (an integer
 * column's long converts exactly: ingestion bounds them below 2^53; -0.0 is 0.0), so a column read as integer
 * in one version and numeric in the next hashes alike; a boolean {@code 3} and one byte; text {@code 4}, its
 * length and UTF-8; a timestamp {@code 5}, epoch seconds (8 bytes) and nanoseconds (4 bytes).
 */
final class RowHash {

    private static final double TWO_TO_MINUS_53 = 0x1.0p-53;

    private final long seed;
    private final int[] at;
    private final byte[][] names;
    private byte[] buffer = new byte[256];
    private int length;

    private RowHash(long seed, int[] at, byte[][] names) {
        this.seed = seed;
        this.at = at;
        this.names = names;
    }

    /** Hashes the named columns of rows typed by {@code schema}; every name must be one of its columns. */
    static RowHash of(DatasetSchema schema, List<String> columns, long seed) {
        int[] at = new int[columns.size()];
        byte[][] names = new byte[columns.size()][];
        for (int c = 0; c < at.length; c++) {
            at[c] = schema.indexOf(columns.get(c));
            if (at[c] < 0) {
                throw new IllegalArgumentException("column '" + columns.get(c) + "' is not in the schema");
            }
            names[c] = columns.get(c).getBytes(StandardCharsets.UTF_8);
        }
        return new RowHash(seed, at, names);
    }

    /** The columns a split hashes: all of the schema's, by name, so that reordered columns hash alike. */
    static List<String> columnsOf(DatasetSchema schema) {
        return schema.columns().stream().map(ColumnSchema::name).sorted().toList();
    }

    /** The row's place in [0, 1): the hash's top 53 bits as a fraction, so every double below 1 is exact. */
    double position(Object[] values) {
        length = 0;
        putLong(seed);
        for (int c = 0; c < at.length; c++) {
            putBytes(names[c]);
            put(values[at[c]]);
        }
        long hash = StableHash.of(buffer, 0, length);
        return (hash >>> 11) * TWO_TO_MINUS_53;
    }

    private void put(Object value) {
        switch (value) {
            case null -> putByte(0);
            case Double d -> {
                putByte(1);
                putLong(Double.doubleToLongBits(d == 0.0 ? 0.0 : d));
            }
            case Long l
            when Math.abs(l) <= (1L << 53) -> {
                putByte(1);
                putLong(Double.doubleToLongBits((double) l));
            }
            case Long l -> {
                putByte(2);
                putLong(l);
            }
            case Boolean b -> {
                putByte(3);
                putByte(b ? 1 : 0);
            }
            case String s -> {
                putByte(4);
                putBytes(s.getBytes(StandardCharsets.UTF_8));
            }
            case Instant t -> {
                putByte(5);
                putLong(t.getEpochSecond());
                putInt(t.getNano());
            }
            default ->
                throw new IllegalArgumentException(
                        "no row hash for a " + value.getClass().getName());
        }
    }

    private void putBytes(byte[] bytes) {
        putInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void putInt(int v) {
        ensure(4);
        buffer[length++] = (byte) (v >>> 24);
        buffer[length++] = (byte) (v >>> 16);
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) v;
    }

    private void putByte(int v) {
        ensure(1);
        buffer[length++] = (byte) v;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
