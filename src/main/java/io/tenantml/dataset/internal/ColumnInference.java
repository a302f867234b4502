package io.tenantml.dataset.internal;

import io.tenantml.dataset.ColumnType;

import java.util.HashSet;
import java.util.Set;

/**
 * Infers a column's type from all its values (the first pass over a spooled upload). A type wins when
 * at least {@link #DOMINANT} of the present values parse as it, so that a few dirty cells show up as type
 * anomalies instead of turning a numeric column into text. Numbers infer as {@code numeric}, never
 * {@code integer}: an integer column is a constraint the tenant declares.
 */
final class ColumnInference {

    static final double DOMINANT = 0.9;
    /** Strings with at most this many distinct values (and at most half as many as values) are categorical. */
    static final int MAX_CATEGORIES = 10_000;

    private long present;
    private long booleans;
    private long numbers;
    private long timestamps;
    private final Set<String> distinct = new HashSet<>();
    private boolean tooManyDistinct;

    void add(Object raw) {
        if (Values.isMissing(raw)) {
            return;
        }
        present++;
        if (raw instanceof Boolean || (raw instanceof String s && isBooleanWord(s))) {
            booleans++;
        } else if (raw instanceof Number || (raw instanceof String s && Values.numeric(s) != Values.INVALID)) {
            numbers++;
        } else if (raw instanceof String s && Values.timestamp(s) != Values.INVALID) {
            timestamps++;
        }
        // Only strings can end up categorical or text; hashing every number would cost for nothing.
        if (!tooManyDistinct && raw instanceof String s) {
            distinct.add(s);
            if (distinct.size() > MAX_CATEGORIES) {
                tooManyDistinct = true;
                distinct.clear();
            }
        }
    }

    ColumnType decide() {
        if (present == 0) {
            return ColumnType.TEXT;
        }
        if (booleans >= DOMINANT * present) {
            return ColumnType.BOOLEAN;
        }
        if (numbers >= DOMINANT * present) {
            return ColumnType.NUMERIC;
        }
        if (timestamps >= DOMINANT * present) {
            return ColumnType.TIMESTAMP;
        }
        if (!tooManyDistinct && distinct.size() <= present / 2) {
            return ColumnType.CATEGORICAL;
        }
        return ColumnType.TEXT;
    }

    private static boolean isBooleanWord(String s) {
        String v = s.strip();
        return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
    }
}
