package io.tenantml.rules;

import io.tenantml.monitoring.FeatureDriftStatus;
import io.tenantml.monitoring.MonitoringWindow;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/** What one window run says of a rule's signal: present, absent, or nothing to say (empty). */
public final class RuleSignals {

    private RuleSignals() {}

    /** @param value the measured share or rate (null where the signal is a status) */
    public record Reading(boolean present, Double value) {}

    /**
     * @param recordsRead logged predictions the window run read
     * @param latest the model's latest hourly window, judged
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
            case VOLUME_ZERO -> throw new IllegalStateException("handled above");
        };
    }
}
