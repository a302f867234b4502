package io.tenantml.training;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Row indices of the training and validation parts, each in the rows' original order. Deterministic: the
 * same rows, spec and seed give the same split on every JVM.
 */
public record Split(int[] train, int[] validation) {

    /**
     * @param times each row's time (may hold nulls, which sort first); used by the time method only
     */
    public static Split of(int rows, SplitSpec spec, long seed, List<Instant> times) {
        int holdout = (int) Math.round(rows * spec.holdoutFraction());
        if (holdout < 1 || rows - holdout < 1) {
            throw new IllegalArgumentException("too few rows (" + rows + ") to split into training and validation");
        }
        int[] order;
        if (spec.method() == SplitSpec.Method.TIME) {
            order = IntStream.range(0, rows)
                    .boxed()
                    .sorted(Comparator.comparing(times::get, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .mapToInt(Integer::intValue)
                    .toArray();
            int[] train = Arrays.copyOfRange(order, 0, rows - holdout);
            int[] validation = Arrays.copyOfRange(order, rows - holdout, rows);
            Arrays.sort(train);
            Arrays.sort(validation);
            return new Split(train, validation);
        }
        order = IntStream.range(0, rows).toArray();
        Random random = new Random(seed);
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] validation = Arrays.copyOfRange(order, 0, holdout);
        int[] train = Arrays.copyOfRange(order, holdout, rows);
        Arrays.sort(train);
        Arrays.sort(validation);
        return new Split(train, validation);
    }
}
