package io.tenantml.training;

import io.tenantml.dataset.DatasetSchema;
import io.tenantml.model.SplitProvenance;
import io.tenantml.model.SplitSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Row indices of the training and validation parts, each in the rows' original order, and the record of how
 * they were chosen. Deterministic: the same rows, spec and seed give the same split on every JVM.
 * <p>
 * Random: a row validates when its content hash under the seed ({@link RowHash}) falls below the holdout
 * fraction (a hash split, as TFX makes them), not by shuffling all rows. A row keeps its side whatever else the
 * version holds, so a version that appends rows to another leaves the earlier rows where they were, and
 * identical rows never straddle the two sides. The share of validation rows is the fraction on average
 * (binomial), not exactly.
 * <p>
 * Time: the latest {@code round(rows x fraction)} rows by the time column validate (missing times sort first).
 */
public record Split(int[] train, int[] validation, SplitProvenance provenance) {

    /**
     * @param rows   typed values of the schema's columns, one array per row
     * @param times  each row's time (may hold nulls, which sort first); used by the time method only
     */
    public static Split of(List<Object[]> rows, DatasetSchema schema, SplitSpec spec, long seed, List<Instant> times) {
        return spec.method() == SplitSpec.Method.TIME
                ? byTime(rows.size(), spec, seed, times)
                : byHash(rows, schema, spec, seed);
    }

    private static Split byTime(int rows, SplitSpec spec, long seed, List<Instant> times) {
        int holdout = (int) Math.round(rows * spec.holdoutFraction());
        if (holdout < 1 || rows - holdout < 1) {
            throw new TooFewRowsException("too few rows (" + rows + ") to split into training and validation");
        }
        int[] order = IntStream.range(0, rows)
                .boxed()
                .sorted(Comparator.comparing(times::get, Comparator.nullsFirst(Comparator.naturalOrder())))
                .mapToInt(Integer::intValue)
                .toArray();
        int[] train = Arrays.copyOfRange(order, 0, rows - holdout);
        int[] validation = Arrays.copyOfRange(order, rows - holdout, rows);
        Instant trainedUntil = times.get(train[train.length - 1]);
        Arrays.sort(train);
        Arrays.sort(validation);
        return new Split(
                train,
                validation,
                new SplitProvenance(
                        SplitSpec.Method.TIME, spec.holdoutFraction(), seed, null, null, null, trainedUntil));
    }

    private static Split byHash(List<Object[]> rows, DatasetSchema schema, SplitSpec spec, long seed) {
        if (rows.size() < 2) {
            throw new TooFewRowsException("too few rows (" + rows.size() + ") to split into training and validation");
        }
        List<String> columns = RowHash.columnsOf(schema);
        RowHash hash = RowHash.of(schema, columns, seed);
        double[] position = new double[rows.size()];
        double lowest = 1;
        double highest = 0;
        for (int i = 0; i < position.length; i++) {
            position[i] = hash.position(rows.get(i));
            lowest = Math.min(lowest, position[i]);
            highest = Math.max(highest, position[i]);
        }
        // Each side needs a row. When the hash puts every row on one side (likely only for a handful of rows), the
        // threshold moves just past the row nearest the other side, which crosses with its duplicates: all
        // validating, the highest rows train (validate below the highest); none validating, the lowest validate
        // (below the next double above the lowest). The threshold used is recorded, so the rule stays exact.
        double below = spec.holdoutFraction();
        if (highest < below) {
            below = highest;
        } else if (lowest >= below) {
            below = Math.nextUp(lowest);
        }
        int validating = 0;
        for (double p : position) {
            if (p < below) {
                validating++;
            }
        }
        if (validating == 0 || validating == position.length) {
            throw new TooFewRowsException("too few distinct rows (all " + rows.size()
                    + " hold the same values) to split into training and validation");
        }
        int[] train = new int[position.length - validating];
        int[] validation = new int[validating];
        for (int i = 0, t = 0, v = 0; i < position.length; i++) {
            if (position[i] < below) {
                validation[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        return new Split(
                train,
                validation,
                new SplitProvenance(
                        SplitSpec.Method.RANDOM,
                        spec.holdoutFraction(),
                        seed,
                        SplitProvenance.ROW_HASH,
                        columns,
                        below,
                        null));
    }

    /**
     * The rows (typed by {@code schema}) that a model split as {@code split} records cannot have trained on: by a
     * random split, those its hash sends to validation; by a time split, those later than its last training row.
     * The answer is on the safe side: a row the model never saw (appended later) is kept only where its hash, or
     * its time, would have put it in validation, since nothing here tells it apart from a row the model trained on.
     * A candidate that keeps the champion's seed and fraction loses no validation row to this: its own hash split
     * already keeps every row the champion trained on in training.
     *
     * @return indices into {@code rows}, ascending; null when the split is not recorded or cannot be redone on
     *     this schema (another hash scheme, a hashed column missing, no time column)
     */
    public static int[] heldOutBy(SplitProvenance split, DatasetSchema schema, List<Object[]> rows) {
        if (split == null) {
            return null;
        }
        if (split.method() == SplitSpec.Method.TIME) {
            int timeAt = schema.timeColumn() == null ? -1 : schema.indexOf(schema.timeColumn());
            if (timeAt < 0) {
                return null;
            }
            Instant until = split.trainedUntil();
            // a missing time sorts first, so such a row may have trained; without any training time every
            // training row had none, and any row with a time validated
            return IntStream.range(0, rows.size())
                    .filter(i -> rows.get(i)[timeAt] instanceof Instant t && (until == null || t.isAfter(until)))
                    .toArray();
        }
        if (!SplitProvenance.ROW_HASH.equals(split.rowHash())
                || split.columns() == null
                || split.validationBelow() == null
                || !split.columns().stream().allMatch(c -> schema.indexOf(c) >= 0)) {
            return null;
        }
        RowHash hash = RowHash.of(schema, split.columns(), split.seed());
        double below = split.validationBelow();
        return IntStream.range(0, rows.size())
                .filter(i -> hash.position(rows.get(i)) < below)
                .toArray();
    }
}
