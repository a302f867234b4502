package io.tenantml.testing;

import java.util.SplittableRandom;

/**
 * Runs a property over generated values: {@code tries} values of a {@link Gen}, each from its own random
 * stream derived from the seed and the try's index, so that one failing try can be rerun alone.
 * <p>
 * A failure says the property's name, the seed, the try and the value, and how to rerun it:
 * {@code -Dtenantml.seed=<seed>} runs every property with that seed instead of its own, and
 * {@code -Dtenantml.try=<index>} runs only that try (Surefire passes both to the test JVM). No shrinking: a try
 * is small by construction, and its value is printed whole.
 */
public final class Properties {

    /** System property: a seed that replaces every property's own. */
    public static final String SEED_PROPERTY = "tenantml.seed";

    /** System property: the index of the one try to run. */
    public static final String TRY_PROPERTY = "tenantml.try";

    /** A property of one value: returns normally when it holds, throws (an assertion, anything) when not. */
    @FunctionalInterface
    public interface Property<T> {
        void check(T value) throws Exception;
    }

    private Properties() {}

    /**
     * Checks {@code property} on {@code tries} values of {@code gen}, seeded with {@code seed} (or the
     * {@value #SEED_PROPERTY} system property); throws an {@link AssertionError} naming the seed, the try and
     * the value at the first failure.
     */
    public static <T> void check(String name, long seed, int tries, Gen<T> gen, Property<? super T> property) {
        long effectiveSeed = Long.getLong(SEED_PROPERTY, seed);
        Integer only = Integer.getInteger(TRY_PROPERTY);
        int from = only == null ? 0 : only;
        int to = only == null ? tries : only + 1;
        for (int index = from; index < to; index++) {
            T value;
            try {
                value = gen.next(random(effectiveSeed, index));
            } catch (RuntimeException e) {
                throw new AssertionError(failure(name, effectiveSeed, index, tries, "the generator failed"), e);
            }
            try {
                property.check(value);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(
                        failure(name, effectiveSeed, index, tries, "value: " + value) + "\n" + e.getMessage(), e);
            }
        }
    }

    /** The random stream of one try: independent of how many values earlier tries drew. */
    public static SplittableRandom random(long seed, int index) {
        // split() mixes the state, so neighbouring (seed, index) pairs give unrelated streams.
        return new SplittableRandom(seed + 0x9E3779B97F4A7C15L * index).split();
    }

    private static String failure(String name, long seed, int index, int tries, String what) {
        return "property '" + name + "' failed at try " + index + " of " + tries + " with seed " + seed + " (rerun: -D"
                + SEED_PROPERTY + "=" + seed + " -D" + TRY_PROPERTY + "=" + index + "); " + what;
    }
}
