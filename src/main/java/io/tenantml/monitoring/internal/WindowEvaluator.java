package io.tenantml.monitoring.internal;

import io.tenantml.feature.ValueKind;
import io.tenantml.monitoring.CategoricalSummary;
import io.tenantml.monitoring.DatasetDriftVerdict;
import io.tenantml.monitoring.DriftMeasurement;
import io.tenantml.monitoring.DriftRule;
import io.tenantml.monitoring.FeatureComparison;
import io.tenantml.monitoring.FeatureDriftStatus;
import io.tenantml.monitoring.FeatureDriftVerdict;
import io.tenantml.monitoring.FeatureKind;
import io.tenantml.monitoring.FeatureSummary;
import io.tenantml.monitoring.MonitoringWindow;
import io.tenantml.monitoring.NumericSummary;
import io.tenantml.monitoring.PerformanceAssessment;
import io.tenantml.monitoring.ReferenceProfile;
import io.tenantml.monitoring.SketchSummaries;
import io.tenantml.monitoring.WindowGranularity;
import io.tenantml.statistics.ColumnSketch;
import io.tenantml.statistics.TableSketch;
import io.tenantml.statistics.ValueFrequency;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Judges a window's profile against its version's reference profile with the model's {@link DriftRule}:
 * features (one Benjamini–Hochberg family), outputs (another), skew rates, and the dataset-level verdict.
 * The one place a {@link MonitoringWindow} is built. Stateless.
 */
public final class WindowEvaluator {

    /** The window's facts besides its profile. */
    public record Facts(
            String model,
            int version,
            WindowGranularity granularity,
            Instant start,
            Instant end,
            long records,
            long scored,
            long represented) {}

    private WindowEvaluator() {}

    public static MonitoringWindow evaluate(
            Facts facts, TableSketch profile, Optional<ReferenceProfile> reference, DriftRule rule) {
        return evaluate(facts, profile, reference, rule, null);
    }

    /** As above, with the window's performance (null: not assessed). */
    public static MonitoringWindow evaluate(
            Facts facts,
            TableSketch profile,
            Optional<ReferenceProfile> reference,
            DriftRule rule,
            PerformanceAssessment performance) {
        double sampleRate = facts.represented() == 0 ? 1.0 : (double) facts.records() / facts.represented();
        if (reference.isEmpty()) {
            return new MonitoringWindow(
                    facts.model(),
                    facts.version(),
                    facts.granularity(),
                    facts.start(),
                    facts.end(),
                    facts.records(),
                    facts.scored(),
                    facts.represented(),
                    sampleRate,
                    FeatureDriftStatus.INSUFFICIENT_DATA,
                    null,
                    List.of(),
                    null,
                    skew(profile, null),
                    rule.settings(),
                    "no-reference",
                    performance);
        }
        ReferenceProfile ref = reference.get();
        List<FeatureComparison> comparisons = new ArrayList<>();
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, Long> missing = new LinkedHashMap<>();
        for (ReferenceProfile.FeatureReference f : ref.features()) {
            Optional<ColumnSketch> window = profile.column(WindowProfiler.FEATURE + f.feature());
            FeatureSummary r = f.kind() == FeatureKind.NUMERIC
                    ? SketchSummaries.numeric(f.quantiles())
                    : SketchSummaries.categorical(f.categories());
            FeatureSummary w = window.map(WindowEvaluator::summary).orElse(SketchSummaries.empty(f.kind()));
            comparisons.add(new FeatureComparison(f.feature(), r, w));
            columns.put(f.feature(), f.column());
            missing.put(f.feature(), window.map(ColumnSketch::missing).orElse(0L));
        }
        DatasetDriftVerdict verdict = rule.judge(comparisons);
        List<MonitoringWindow.FeatureDrift> features = verdict.features().stream()
                .map(v -> feature(v, columns.get(v.feature()), missing.getOrDefault(v.feature(), 0L)))
                .toList();

        ReferenceProfile.ValidationReference validation = ref.validation();
        List<FeatureComparison> outputs = new ArrayList<>();
        Map<String, Long> outputMissing = new LinkedHashMap<>();
        for (int o = 0; o < validation.outputNames().size(); o++) {
            String name = validation.outputNames().get(o);
            Optional<ColumnSketch> window = profile.column(WindowProfiler.OUTPUT + name);
            outputs.add(new FeatureComparison(
                    name,
                    SketchSummaries.numeric(validation.outputs().get(o)),
                    window.map(WindowEvaluator::summary).orElse(SketchSummaries.empty(FeatureKind.NUMERIC))));
            outputMissing.put(name, window.map(ColumnSketch::missing).orElse(0L));
        }
        DatasetDriftVerdict outputVerdict = rule.judge(outputs);
        MonitoringWindow.PredictionDrift prediction = new MonitoringWindow.PredictionDrift(
                outputVerdict.features().stream()
                        .map(v -> v.status())
                        .reduce(FeatureDriftStatus.INSUFFICIENT_DATA, WindowEvaluator::worse),
                outputVerdict.features().stream()
                        .map(v -> feature(v, null, outputMissing.getOrDefault(v.feature(), 0L)))
                        .toList(),
                profile.column(WindowProfiler.PREDICTED)
                        .map(WindowEvaluator::shares)
                        .orElse(null));

        return new MonitoringWindow(
                facts.model(),
                facts.version(),
                facts.granularity(),
                facts.start(),
                facts.end(),
                facts.records(),
                facts.scored(),
                facts.represented(),
                sampleRate,
                verdict.status(),
                new MonitoringWindow.DatasetDrift(
                        verdict.status(),
                        verdict.evaluatedFeatures(),
                        verdict.driftingFeatures(),
                        verdict.driftingShare(),
                        rule.settings().datasetDriftShare()),
                features,
                prediction,
                skew(profile, ref),
                rule.settings(),
                null,
                performance);
    }

    /** The more alarming of two statuses; insufficient data yields to any verdict. */
    static FeatureDriftStatus worse(FeatureDriftStatus a, FeatureDriftStatus b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(FeatureDriftStatus s) {
        return switch (s) {
            case INSUFFICIENT_DATA -> 0;
            case OK -> 1;
            case WARNING -> 2;
            case DRIFT -> 3;
        };
    }

    private static MonitoringWindow.FeatureDrift feature(FeatureDriftVerdict v, String column, long windowMissing) {
        Double statistic = v.measurement(v.significanceTest())
                .map(DriftMeasurement::statistic)
                .orElse(null);
        return new MonitoringWindow.FeatureDrift(
                v.feature(),
                column,
                v.kind(),
                v.status(),
                v.significanceTest(),
                statistic,
                v.pValue().isPresent() ? v.pValue().getAsDouble() : null,
                v.adjustedPValue().isPresent() ? v.adjustedPValue().getAsDouble() : null,
                v.effectSizeMeasure(),
                v.effectSize(),
                v.effectSizeLowerBound(),
                v.warningThreshold(),
                v.driftThreshold(),
                v.referenceCount(),
                v.windowCount(),
                windowMissing,
                v.measurements().stream()
                        .map(m -> new MonitoringWindow.Measurement(
                                m.test(),
                                m.statistic(),
                                m.pValue().isPresent() ? m.pValue().getAsDouble() : null,
                                m.pValueMethod(),
                                m.effectSize(),
                                m.effectSizeLowerBound(),
                                m.degreesOfFreedom() == 0 ? null : m.degreesOfFreedom()))
                        .toList());
    }

    private static List<MonitoringWindow.FeatureSkew> skew(TableSketch profile, ReferenceProfile ref) {
        Map<String, Double> trainingMissing = new LinkedHashMap<>();
        if (ref != null) {
            for (ReferenceProfile.FeatureReference f : ref.features()) {
                trainingMissing.putIfAbsent(f.column(), f.rows() == 0 ? 0.0 : (double) f.missing() / f.rows());
            }
        }
        List<MonitoringWindow.FeatureSkew> skew = new ArrayList<>();
        for (String name : profile.columnNames()) {
            if (!name.startsWith(WindowProfiler.KINDS)) {
                continue;
            }
            String column = name.substring(WindowProfiler.KINDS.length());
            ColumnSketch kinds = profile.column(name).orElseThrow();
            long n = kinds.count();
            skew.add(new MonitoringWindow.FeatureSkew(
                    column,
                    n,
                    rate(kinds, ValueKind.MISSING, n),
                    rate(kinds, ValueKind.UNSEEN_CATEGORY, n),
                    rate(kinds, ValueKind.OUT_OF_RANGE, n),
                    rate(kinds, ValueKind.REFUSED, n),
                    trainingMissing.getOrDefault(column, 0.0)));
        }
        return skew;
    }

    private static double rate(ColumnSketch kinds, ValueKind kind, long n) {
        return n == 0 ? 0.0 : (double) kinds.frequency(kind.wireName()).estimate() / n;
    }

    private static Map<String, Double> shares(ColumnSketch classes) {
        Map<String, Double> shares = new TreeMap<>();
        long n = classes.count();
        if (n == 0) {
            return shares;
        }
        for (ValueFrequency f : classes.mostFrequent(Integer.MAX_VALUE)) {
            shares.put(f.value(), (double) f.estimate() / n);
        }
        return shares;
    }

    /** A window column as the drift statistics read it (missing values are counted apart, not summarised). */
    static FeatureSummary summary(ColumnSketch column) {
        if (column.kind() == ColumnSketch.Kind.NUMERIC) {
            if (column.count() == 0) {
                return SketchSummaries.emptyNumeric();
            }
            return NumericSummary.of(column.quantileSketch(), column.moments());
        }
        if (column.count() == 0) {
            return SketchSummaries.empty(FeatureKind.CATEGORICAL);
        }
        List<ValueFrequency> values = column.mostFrequent(Integer.MAX_VALUE);
        Map<String, Long> counts = new LinkedHashMap<>();
        long error = 0;
        for (ValueFrequency f : values) {
            if (f.estimate() > 0) {
                counts.put(f.value(), f.estimate());
            }
            error = Math.max(error, f.upperBound() - f.lowerBound());
        }
        return column.hasExactValueCounts()
                ? CategoricalSummary.ofCounts(counts)
                : new CategoricalSummary(column.count(), counts, Math.max(1, error));
    }
}
