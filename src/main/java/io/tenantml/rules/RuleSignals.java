package io.tenantml.rules;

import io.tenantml.model.Metrics;
import io.tenantml.monitoring.EstimatedPerformance;
import io.tenantml.monitoring.FeatureDriftStatus;
import io.tenantml.monitoring.MonitoringWindow;
import io.tenantml.monitoring.PerformanceAssessment;
import io.tenantml.monitoring.ReferenceProfile;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** What one window run says of a rule's signal: present, absent, or nothing to say (empty). */
public final class RuleSignals {

    private RuleSignals() {}

    /** @param value the measured share or rate (null where the signal is a status) */
    public record Reading(boolean present, Double value) {}

    /**
     * @param recordsRead logged predictions the window run read
     * @param latest the model's latest hourly window, judged (with its performance for the performance signals:
     *     a window without it says nothing of them)
     */
    public static Optional<Reading> read(Rule rule, long recordsRead, Optional<MonitoringWindow> latest) {
        RuleSignal signal = RuleSignal.ofWire(rule.signal())
                .orElseThrow(() -> new IllegalArgumentException("unknown signal " + rule.signal()));
        if (signal == RuleSignal.VOLUME_ZERO) {
            return Optional.of(new Reading(recordsRead == 0, (double) recordsRead));
        }
        if (latest.isEmpty() || recordsRead == 0) {
            return Optional.empty(); // no new traffic: the latest window is an old one, already counted
        }
        MonitoringWindow w = latest.get();
        return switch (signal) {
            case DATASET_DRIFT -> {
                MonitoringWindow.DatasetDrift d = w.dataset();
                if (d == null || d.evaluatedFeatures() == 0) {
                    yield Optional.empty();
                }
                yield Optional.of(new Reading(d.driftingShare() >= rule.threshold(), d.driftingShare()));
            }
            case FEATURE_DRIFT -> {
                if (w.features() == null) {
                    yield Optional.empty();
                }
                boolean evaluated = false;
                boolean drifting = false;
                for (MonitoringWindow.FeatureDrift f : w.features()) {
                    if (rule.features().contains(f.feature())) {
                        evaluated |= f.status() != FeatureDriftStatus.INSUFFICIENT_DATA;
                        drifting |= f.status() == FeatureDriftStatus.DRIFT;
                    }
                }
                yield evaluated ? Optional.of(new Reading(drifting, null)) : Optional.empty();
            }
            case SKEW -> {
                if (w.skew() == null || w.skew().isEmpty()) {
                    yield Optional.empty();
                }
                ToDoubleFunction<MonitoringWindow.FeatureSkew> rate = MonitoringRules.SKEW_KINDS.get(rule.kind());
                double max = w.skew().stream().mapToDouble(rate).max().orElse(0);
                yield Optional.of(new Reading(max >= rule.threshold(), max));
            }
            case REALISED_PERFORMANCE, ESTIMATED_PERFORMANCE -> performance(rule, signal, w.performance());
            case VOLUME_ZERO -> throw new IllegalStateException("handled above");
        };
    }

    /**
     * Worse than the floor, or than the version's validation figure by more than the margin. Nothing to say when
     * the window was not assessed, has too few labels (realised) or scored predictions (estimated), or lacks the
     * metric; a margin without the validation figure leaves the floor alone to decide.
     */
    private static Optional<Reading> performance(Rule rule, RuleSignal signal, PerformanceAssessment p) {
        if (p == null) {
            return Optional.empty();
        }
        int minSamples = rule.minSamples() == null ? MonitoringRules.DEFAULT_MIN_SAMPLES : rule.minSamples();
        Optional<Double> value = signal == RuleSignal.REALISED_PERFORMANCE
                ? realised(p, rule.metric(), minSamples)
                : estimated(p, rule.metric(), minSamples);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        double v = value.get();
        Boolean present = null;
        if (rule.floor() != null) {
            present = worse(rule.metric(), v, rule.floor());
        }
        ReferenceProfile.MetricEstimate reference =
                p.reference() == null ? null : p.reference().get(rule.metric());
        if (rule.margin() != null && reference != null) {
            boolean belowReference = worse(rule.metric(), v, lowered(rule.metric(), reference.value(), rule.margin()));
            present = present == null ? belowReference : present || belowReference;
        }
        return present == null ? Optional.empty() : Optional.of(new Reading(present, v));
    }

    /** The realised figure of {@code metric}, if at least {@code minSamples} labels answer the predictions. */
    public static Optional<Double> realised(PerformanceAssessment p, String metric, int minSamples) {
        PerformanceAssessment.Realised r = p.realised();
        if (r == null || r.labels() < minSamples) {
            return Optional.empty();
        }
        Metrics.Interval m = r.metrics().get(metric);
        return m == null ? Optional.empty() : Optional.of(m.value());
    }

    /** CBPE's estimate of {@code metric}, if it is over at least {@code minSamples} scored predictions. */
    public static Optional<Double> estimated(PerformanceAssessment p, String metric, int minSamples) {
        EstimatedPerformance e = p.estimated();
        if (e == null || e.rows() < minSamples) {
            return Optional.empty();
        }
        EstimatedPerformance.EstimatedMetric m = e.metrics().get(metric);
        return m == null ? Optional.empty() : Optional.of(m.value());
    }

    /** Whether {@code value} is strictly worse than {@code bound} in the metric's better direction. */
    public static boolean worse(String metric, double value, double bound) {
        return Metrics.higherIsBetter(metric) ? value < bound : value > bound;
    }

    /** {@code value} made worse by {@code margin} (lower where higher is better, higher otherwise). */
    public static double lowered(String metric, double value, double margin) {
        return Metrics.higherIsBetter(metric) ? value - margin : value + margin;
    }
}
