package io.tenantml.monitoring.simulation;

import io.tenantml.monitoring.FeatureKind;
import java.util.SplittableRandom;

/**
 * One feature of the simulated model: how to draw its values, and how to move it. Numeric features move by
 * a mean shift of a given number of their true standard deviations; categorical ones by moving 10 points
 * of share onto their second most frequent category (the others scaled down).
 */
sealed interface SimulatedFeature permits SimulatedFeature.Numeric, SimulatedFeature.Categorical {

    String name();

    FeatureKind kind();

    /**
     * How a mean shift is realised without changing what values can occur: added to every value
     * (continuous features); on the integer lattice, each value moved up by ⌊s⌋ plus 1 with probability
     * frac(s) (counts stay counts); or added to the non-zero values only, scaled so the mean moves by s
     * (zeros stay zeros). Adding 0.017 to a count would make every value a new one, which is not a small
     * shift but a change of the feature's type, and KS rightly sees it as large.
     */
    enum Shift {
        ADD,
        LATTICE,
        NONZERO
    }

    /** A numeric feature: a sampler, its true standard deviation, and how it shifts. */
    record Numeric(String name, double sd, Shift shift, double nonZeroShare, Sampler sampler)
            implements SimulatedFeature {
        Numeric(String name, double sd, Sampler sampler) {
            this(name, sd, Shift.ADD, 1.0, sampler);
        }

        @Override
        public FeatureKind kind() {
            return FeatureKind.NUMERIC;
        }

        double[] draw(SplittableRandom random, int n, double shiftInSd) {
            double[] out = new double[n];
            double s = shiftInSd * sd;
            for (int i = 0; i < n; i++) {
                double v = sampler.draw(random);
                if (s != 0) {
                    v = switch (shift) {
                        case ADD -> v + s;
                        case LATTICE -> v + Math.floor(s) + (random.nextDouble() < s - Math.floor(s) ? 1 : 0);
                        case NONZERO -> v == 0 ? 0 : v + s / nonZeroShare;
                    };
                }
                out[i] = v;
            }
            return out;
        }
    }

    /** A categorical feature over k categories with Zipf shares p_i ∝ 1/i. */
    record Categorical(String name, int categories) implements SimulatedFeature {
        @Override
        public FeatureKind kind() {
            return FeatureKind.CATEGORICAL;
        }

        double[] shares(double moveShare) {
            double[] p = new double[categories];
            double total = 0;
            for (int i = 0; i < categories; i++) {
                p[i] = 1.0 / (i + 1);
                total += p[i];
            }
            for (int i = 0; i < categories; i++) {
                p[i] /= total;
            }
            if (moveShare != 0) {
                int target = 1;
                double scale = (1 - p[target] - moveShare) / (1 - p[target]);
                for (int i = 0; i < categories; i++) {
                    p[i] = i == target ? p[i] + moveShare : p[i] * scale;
                }
            }
            return p;
        }

        /** Counts per category of n draws. */
        long[] draw(SplittableRandom random, int n, double moveShare) {
            double[] p = shares(moveShare);
            double[] cumulative = new double[categories];
            double running = 0;
            for (int i = 0; i < categories; i++) {
                running += p[i];
                cumulative[i] = running;
            }
            long[] counts = new long[categories];
            for (int i = 0; i < n; i++) {
                double u = random.nextDouble() * running;
                int lo = 0;
                int hi = categories - 1;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (cumulative[mid] > u) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                counts[lo]++;
            }
            return counts;
        }
    }

    @FunctionalInterface
    interface Sampler {
        double draw(SplittableRandom random);
    }

    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static double exponential(SplittableRandom random) {
        return -Math.log(1.0 - random.nextDouble());
    }

    static double gammaInteger(SplittableRandom random, int shape) {
        double sum = 0;
        for (int i = 0; i < shape; i++) {
            sum += exponential(random);
        }
        return sum;
    }

    static int poisson(SplittableRandom random, double lambda) {
        double limit = Math.exp(-lambda);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    /** The simulated model: 12 numeric features of varied shapes, 8 categorical of cardinality 2 to 200. */
    static SimulatedFeature[] model() {
        double e = Math.E;
        return new SimulatedFeature[] {
            new Numeric("normal", 1.0, SimulatedFeature::gaussian),
            new Numeric("lognormal", Math.sqrt((e - 1) * e), r -> Math.exp(gaussian(r))),
            new Numeric("exponential", 1.0, SimulatedFeature::exponential),
            new Numeric("uniform", Math.sqrt(1.0 / 12), SplittableRandom::nextDouble),
            new Numeric("student-t3", Math.sqrt(3), r -> {
                double chi2 = 0;
                for (int i = 0; i < 3; i++) {
                    double g = gaussian(r);
                    chi2 += g * g;
                }
                return gaussian(r) / Math.sqrt(chi2 / 3);
            }),
            new Numeric("bimodal", Math.sqrt(5), r -> gaussian(r) + (r.nextBoolean() ? 2 : -2)),
            new Numeric("gamma2", Math.sqrt(2), r -> gammaInteger(r, 2)),
            new Numeric("beta-2-5", Math.sqrt(10.0 / 392), r -> {
                double a = gammaInteger(r, 2);
                return a / (a + gammaInteger(r, 5));
            }),
            new Numeric("poisson3", Math.sqrt(3), Shift.LATTICE, 1.0, r -> poisson(r, 3)),
            new Numeric(
                    "zero-inflated",
                    Math.sqrt(0.6 * 8 - 1.2 * 1.2),
                    Shift.NONZERO,
                    0.6,
                    r -> r.nextDouble() < 0.4 ? 0.0 : 2 * exponential(r)),
            new Numeric("integer-0-99", Math.sqrt((100.0 * 100 - 1) / 12), Shift.LATTICE, 1.0, r -> r.nextInt(100)),
            new Numeric("contaminated", Math.sqrt(0.99 + 1.0), r -> gaussian(r) * (r.nextDouble() < 0.01 ? 10 : 1)),
            new Categorical("cat-2", 2),
            new Categorical("cat-3", 3),
            new Categorical("cat-5", 5),
            new Categorical("cat-8", 8),
            new Categorical("cat-12", 12),
            new Categorical("cat-20", 20),
            new Categorical("cat-50", 50),
            new Categorical("cat-200", 200)
        };
    }
}
