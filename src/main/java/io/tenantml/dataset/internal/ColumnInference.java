package io.tenantml.dataset.internal;

import io.tenantml.dataset.CellParser;
import io.tenantml.dataset.ColumnType;
import java.util.HashSet;
import java.util.Set;

/**
 * Infers a column's type from all its values. A type wins when at least {@link #DOMINANT} of the present
 * values parse as it, so that a few dirty cells show up as type anomalies instead of turning a numeric
 * column into text. Numbers infer as {@code numeric}, never {@code integer}: an integer column is a
 * constraint the tenant declares.
 * <p>
 * Distinct strings only decide between categorical and text, after no other type dominated. While an
 * upload is checked against a guessed boolean, numeric or timestamp type, they are not tracked
 * ({@link #addUntracked}, {@link #addNumber}); {@link #decideIfKnown} then answers null when the decision
 * would need them, and the caller infers again from every value.
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
    private boolean distinctUntracked;

    void add(Object raw) {
        if (!classify(raw)) {
            return;
        }
        // Only strings can end up categorical or text; hashing every number would cost for nothing.
        if (!tooManyDistinct && !distinctUntracked && raw instanceof String s) {
            distinct.add(s);
            if (distinct.size() > MAX_CATEGORIES) {
                tooManyDistinct = true;
                distinct.clear();
            }
        }
    }

    /** Counts a value like {@link #add} but gives up the distinct strings. */
    void addUntracked(Object raw) {
        if (classify(raw)) {
            untrack(raw);
        }
    }

    /** A present value known to parse as a number ({@link CellParser#parse} succeeded): a cheaper {@link #addUntracked}. */
    void addNumber(Object raw) {
        present++;
        numbers++;
        untrack(raw);
    }

    private void untrack(Object raw) {
        // Past the cap the answer is text whatever else comes; below it, one skipped string loses the count.
        if (raw instanceof String && !tooManyDistinct && !distinctUntracked) {
            distinctUntracked = true;
            distinct.clear();
        }
    }

    /** Counts the value's kind; false when it is missing. */
    private boolean classify(Object raw) {
        if (CellParser.isMissing(raw)) {
            return false;
        }
        present++;
        if (raw instanceof Boolean || (raw instanceof String s && isBooleanWord(s))) {
            booleans++;
        } else if (raw instanceof Number
                || (raw instanceof String s && CellParser.parse(ColumnType.NUMERIC, s) != CellParser.INVALID)) {
            numbers++;
        } else if (raw instanceof String s && CellParser.parse(ColumnType.TIMESTAMP, s) != CellParser.INVALID) {
            timestamps++;
        }
        return true;
    }

    ColumnType decide() {
        ColumnType type = decideIfKnown();
        if (type == null) {
            throw new IllegalStateException("distinct values were not tracked");
        }
        return type;
    }

    /** The type, or null when only the distinct strings could tell and they were not tracked. */
    ColumnType decideIfKnown() {
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
        if (distinctUntracked) {
            return null;
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
