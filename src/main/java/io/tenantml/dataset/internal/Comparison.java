package io.tenantml.dataset.internal;

import io.tenantml.dataset.Anomaly;
import io.tenantml.dataset.Anomaly.Severity;
import io.tenantml.dataset.ColumnProfile;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetConfig;
import io.tenantml.dataset.DatasetProfile;
import io.tenantml.dataset.DatasetSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares a new version with the previous one: schema changes, and distribution shift per column. Numeric
 * columns use the population stability index over the previous version's histogram bins (new shares from
 * the new version's quantile sketch, within its rank error); categorical and boolean columns the L-infinity
 * distance of value shares, the statistic TensorFlow Data Validation uses for categorical skew.
 */
final class Comparison {

    private static final double EPSILON = 1e-4;

    private static final String SCHEMA_CHANGE = "schema-change";
    private static final String DISTRIBUTION_SHIFT = "distribution-shift";
    private static final String COMPLETENESS_SHIFT = "completeness-shift";

    /**
     * The checks this comparison reports: findings about how an upload differs from the version before it, not
     * about the upload itself (see {@link Ingestion#ownFindings}).
     */
    static final Set<String> CHECKS = Set.of(SCHEMA_CHANGE, DISTRIBUTION_SHIFT, COMPLETENESS_SHIFT);

    private Comparison() {}

    static List<Anomaly> compare(
            Ingestion.Previous previous,
            DatasetSchema schema,
            DatasetProfile profile,
            ColumnProfiler[] profilers,
            DatasetConfig config) {
        List<Anomaly> out = new ArrayList<>();
        String against = " than version " + previous.version();
        for (ColumnSchema before : previous.schema().columns()) {
            Optional<ColumnSchema> now = schema.column(before.name());
            if (now.isEmpty()) {
                out.add(change(
                        before.name(),
                        "Column '" + before.name() + "' was removed since version " + previous.version()));
            } else if (now.get().type() != before.type()) {
                out.add(change(
                        before.name(),
                        "Column '" + before.name() + "' changed type from "
                                + before.type().wireName() + " to "
                                + now.get().type().wireName() + " since version " + previous.version()));
            } else if (!java.util.Objects.equals(now.get().isNullable(), before.isNullable())
                    || !java.util.Objects.equals(now.get().min(), before.min())
                    || !java.util.Objects.equals(now.get().max(), before.max())
                    || !java.util.Objects.equals(now.get().allowedValues(), before.allowedValues())) {
                out.add(change(
                        before.name(),
                        "Column '" + before.name() + "' changed its constraints since version " + previous.version()));
            }
        }
        for (ColumnSchema col : schema.columns()) {
            if (previous.schema().column(col.name()).isEmpty()) {
                out.add(change(
                        col.name(), "Column '" + col.name() + "' was added since version " + previous.version()));
            }
        }
        for (ColumnProfiler p : profilers) {
            Optional<ColumnProfile> old = previous.profile().column(p.name);
            if (old.isEmpty()
                    || old.get().type() != p.type
                    || p.count() == 0
                    || old.get().count() == 0) {
                continue;
            }
            ColumnProfile before = old.get();
            ColumnProfile now = profile.column(p.name).orElseThrow();
            if (p.hasQuantiles() && before.histogram() != null) {
                double psi = psi(before.histogram(), p);
                if (psi > config.shiftPsiThreshold()) {
                    out.add(new Anomaly(
                            p.name,
                            DISTRIBUTION_SHIFT,
                            Severity.WARNING,
                            p.count(),
                            String.format(
                                    Locale.ROOT,
                                    "Distribution of '%s' shifted: population stability index (psi) = %.3f > %.2f; mean %s -> %s%s",
                                    p.name,
                                    psi,
                                    config.shiftPsiThreshold(),
                                    Ingestion.fmt(before.mean()),
                                    Ingestion.fmt(now.mean()),
                                    against.replace(" than", " vs")),
                            List.of()));
                }
            } else if (p.hasValueCounts() && before.topValues() != null && now.topValues() != null) {
                double linf = linf(before, now, p);
                if (linf > config.shiftLinfThreshold()) {
                    out.add(new Anomaly(
                            p.name,
                            DISTRIBUTION_SHIFT,
                            Severity.WARNING,
                            p.count(),
                            String.format(
                                    Locale.ROOT,
                                    "Distribution of '%s' shifted: L-infinity distance (linf) of value shares = %.3f > %.2f%s",
                                    p.name,
                                    linf,
                                    config.shiftLinfThreshold(),
                                    against.replace(" than", " vs")),
                            List.of()));
                }
            }
            double missingBefore = (double) before.missing() / Math.max(1, before.count() + before.missing());
            double missingNow = (double) now.missing() / Math.max(1, now.count() + now.missing());
            if (Math.abs(missingNow - missingBefore) > config.shiftLinfThreshold()) {
                out.add(new Anomaly(
                        p.name,
                        COMPLETENESS_SHIFT,
                        Severity.WARNING,
                        now.missing(),
                        String.format(
                                Locale.ROOT,
                                "Missing share of '%s' moved from %.1f%% to %.1f%%%s",
                                p.name,
                                100 * missingBefore,
                                100 * missingNow,
                                against.replace(" than", " vs")),
                        List.of()));
            }
        }
        return out;
    }

    private static Anomaly change(String column, String message) {
        return new Anomaly(column, SCHEMA_CHANGE, Severity.WARNING, 0, message, List.of());
    }

    /**
     * PSI over the previous bins ({@code [a, b)}, as the histogram's), with the outer bins open so that new
     * values beyond the old range count.
     */
    static double psi(ColumnProfile.Histogram before, ColumnProfiler now) {
        List<Double> edges = before.edges();
        List<Long> counts = before.counts();
        long total = counts.stream().mapToLong(Long::longValue).sum();
        double psi = 0;
        double previousCdf = 0;
        for (int i = 0; i < counts.size(); i++) {
            double cdf = i == counts.size() - 1 ? 1.0 : now.shareBelow(edges.get(i + 1));
            double q = Math.max(EPSILON, cdf - previousCdf);
            double p = Math.max(EPSILON, (double) counts.get(i) / total);
            psi += (q - p) * Math.log(q / p);
            previousCdf = Math.max(previousCdf, cdf);
        }
        return psi;
    }

    /** Over the values among the top values of either version; the new shares from the new version's sketch. */
    static double linf(ColumnProfile before, ColumnProfile now, ColumnProfiler profiler) {
        Map<String, Double> a = shares(before);
        Set<String> keys = new HashSet<>(a.keySet());
        keys.addAll(
                now.topValues().stream().map(ColumnProfile.ValueCount::value).toList());
        double max = 0;
        for (String k : keys) {
            double b = (double) profiler.frequency(k) / profiler.count();
            max = Math.max(max, Math.abs(a.getOrDefault(k, 0.0) - b));
        }
        return max;
    }

    private static Map<String, Double> shares(ColumnProfile p) {
        Map<String, Double> m = new HashMap<>();
        for (ColumnProfile.ValueCount v : p.topValues()) {
            m.put(v.value(), (double) v.count() / p.count());
        }
        return m;
    }

    static boolean isCategorical(ColumnType t) {
        return t == ColumnType.CATEGORICAL || t == ColumnType.BOOLEAN;
    }
}
