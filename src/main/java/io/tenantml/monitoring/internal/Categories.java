package io.tenantml.monitoring.internal;

import io.tenantml.monitoring.CategoricalSummary;
import java.util.TreeSet;

/** Two categorical summaries aligned over the sorted union of their categories. */
record Categories(String[] names, double[] reference, double[] window) {

    static Categories align(CategoricalSummary reference, CategoricalSummary window) {
        TreeSet<String> union = new TreeSet<>(reference.counts().keySet());
        union.addAll(window.counts().keySet());
        String[] names = union.toArray(String[]::new);
        double[] r = new double[names.length];
        double[] w = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            r[i] = reference.counts().getOrDefault(names[i], 0L);
            w[i] = window.counts().getOrDefault(names[i], 0L);
        }
        return new Categories(names, r, w);
    }

    /**
     * Upper bound of the total-variation error of a summary's proportions: each of k listed counts may be
     * off by maxCountError.
     */
    static double totalVariationError(CategoricalSummary summary) {
        if (summary.maxCountError() == 0) {
            return 0;
        }
        return Math.min(1.0, summary.counts().size() * (double) summary.maxCountError() / (2.0 * summary.count()));
    }

    static void requireNonEmpty(CategoricalSummary reference, CategoricalSummary window) {
        if (reference.count() == 0 || window.count() == 0) {
            throw new IllegalArgumentException("both summaries must hold values (reference " + reference.count()
                    + ", window " + window.count() + ")");
        }
    }
}
