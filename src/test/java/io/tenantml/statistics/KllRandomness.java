package io.tenantml.statistics;

import java.lang.reflect.Field;
import java.util.Random;

/**
 * Seeds DataSketches' KLL generator (one static, unseeded {@code java.util.Random} that its API cannot set), so
 * that a randomised test of quantiles fails again with the seed it prints. Tests run one at a time, so no other
 * sketch draws from it meanwhile. Without the field (another DataSketches release) the tests run unseeded; their
 * bounds hold with 99% confidence per sketch and far more for the few ranks they check.
 */
public final class KllRandomness {

    private KllRandomness() {}

    public static void seed(long seed) {
        try {
            Field field = Class.forName("org.apache.datasketches.kll.KllSketch").getDeclaredField("random");
            field.setAccessible(true);
            ((Random) field.get(null)).setSeed(seed);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("KLL's generator could not be seeded (" + e + "); quantile tests run unseeded");
        }
    }
}
