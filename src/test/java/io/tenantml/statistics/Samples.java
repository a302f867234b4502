package io.tenantml.statistics;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded test data and exact reference answers for the sketch tests. */
final class Samples {

    private Samples() {}

    /** Known distributions; the values drawn from a seeded generator. */
    enum Distribution {
        NORMAL {
            @Override
            double draw(SplittableRandom random) {
                return 50 + 10 * random.nextGaussian();
            }
        },
        UNIFORM {
            @Override
            double draw(SplittableRandom random) {
                return 1_000 * random.nextDouble();
            }
        },
        /** Skewed, heavy right tail: exp(N(0, 1)). */
        LOGNORMAL {
            @Override
            double draw(SplittableRandom random) {
                return Math.exp(random.nextGaussian());
            }
        },
        /** Ten values, 0 taking about 39% of the mass: every quantile lands on a tie. */
        HEAVY_TIES {
            @Override
            double draw(SplittableRandom random) {
                return Math.min(9, Math.floor(-2 * Math.log(1 - random.nextDouble())));
            }
        };

        abstract double draw(SplittableRandom random);

        double[] sample(int n, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = draw(random);
            }
            return values;
        }
    }

    /** Exact ranks of a sorted array. */
    record Sorted(double[] values) {
        static Sorted of(double[] values) {
            double[] copy = values.clone();
            Arrays.sort(copy);
            return new Sorted(copy);
        }

        int n() {
            return values.length;
        }

        /** Share of values strictly below {@code x}. */
        double below(double x) {
            int lo = 0;
            int hi = values.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (values[mid] < x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return (double) lo / values.length;
        }

        /** Share of values at or below {@code x}. */
        double atOrBelow(double x) {
            int lo = 0;
            int hi = values.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (values[mid] <= x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return (double) lo / values.length;
        }

        /** The exact quantile in the sketch's convention: the smallest value with rank at least {@code rank}. */
        double quantile(double rank) {
            int index = (int) Math.ceil(rank * values.length) - 1;
            return values[Math.max(0, Math.min(values.length - 1, index))];
        }

        /**
         * How far {@code rank} lies from the true ranks of {@code quantile}: 0 when some position of that value
         * (ties span an interval of ranks) has that rank.
         */
        double rankErrorOf(double quantile, double rank) {
            double lo = below(quantile);
            double hi = atOrBelow(quantile);
            return rank < lo ? lo - rank : rank > hi ? rank - hi : 0;
        }
    }

    static final double[] RANKS = {0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99};
}
