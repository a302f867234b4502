package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.CategoricalSummary;
import io.tenantml.monitoring.NumericSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** Seeded samples for the drift-test contract suites, and a summary declared approximate for the drift rule's. */
public final class Samples {

    private Samples() {}

    /** N(0, 1), or N(1.5, 1) when shifted. */
    static NumericSummary normal(long seed, int n, boolean shifted) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = gaussian(random) + (shifted ? 1.5 : 0.0);
        }
        return NumericSummary.exact(values);
    }

    /** Shares 0.5 / 0.3 / 0.2 over a, b, c, or 0.2 / 0.3 / 0.5 when shifted. */
    static CategoricalSummary categories(long seed, int n, boolean shifted) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] shares = shifted ? new double[] {0.2, 0.3, 0.5} : new double[] {0.5, 0.3, 0.2};
        String[] names = {"a", "b", "c"};
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int k = u < shares[0] ? 0 : (u < shares[0] + shares[1] ? 1 : 2);
            values.add(names[k]);
        }
        return CategoricalSummary.of(values);
    }

    static Optional<NumericSummary> approximate(NumericSummary exact) {
        return Optional.of(new Approximate(exact, 0.02));
    }

    static Optional<CategoricalSummary> approximate(CategoricalSummary exact) {
        return Optional.of(new CategoricalSummary(exact.count(), exact.counts(), Math.max(1, exact.count() / 100)));
    }

    static double gaussian(SplittableRandom random) {
        // Box–Muller: SplittableRandom has no nextGaussian in every JDK's contract we rely on
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** An exact summary declared to carry a sketch's rank error. */
    public record Approximate(NumericSummary exact, double rankError) implements NumericSummary {
        @Override
        public long count() {
            return exact.count();
        }

        @Override
        public double cdf(double x) {
            return exact.cdf(x);
        }

        @Override
        public double[] supportPoints() {
            return exact.supportPoints();
        }

        @Override
        public double quantile(double rank) {
            return exact.quantile(rank);
        }

        @Override
        public double mean() {
            return exact.mean();
        }

        @Override
        public double standardDeviation() {
            return exact.standardDeviation();
        }

        @Override
        public double min() {
            return exact.min();
        }

        @Override
        public double max() {
            return exact.max();
        }
    }
}
