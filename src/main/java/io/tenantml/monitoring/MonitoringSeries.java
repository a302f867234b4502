package io.tenantml.monitoring;

import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.Texts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;

/**
 * One signal of a model's monitoring windows over time (drift of one feature, prediction drift, skew of one
 * input column, dataset drift, performance), as small points: what a console plots. The windows are the
 * {@link MonitoringWindows} list's, judged by the same code on the same stored hours (days and weeks merged the
 * same way), in the same order and with the same keyset; each point copies its numbers from the judged window.
 * Only {@code performance} reads feedback and scores per window.
 */
@ApplicationScoped
public class MonitoringSeries {

    /** How many known names a problem lists at most. */
    private static final int NAMES_IN_DETAIL = 20;

    @Inject
    MonitoringWindows windows;

    @Inject
    ReferenceProfiles references;

    /**
     * The signal's points of the model's windows that start in [{@code from}, {@code to}) at
     * {@code granularity}, of one version or all, newest first (per window, highest version first), one page at
     * a time.
     *
     * @param signal a {@link MonitoringSignal} wire name
     * @param feature for {@code features}: a feature's name; for {@code skew}: an input column's name (both as the
     *     window names them); refused for the other signals
     * @throws ProblemException 400 naming the parameter that is wrong; 404 for an unknown model
     */
    public Page<MonitoringSeriesPoint> series(
            String model,
            String signal,
            String feature,
            String from,
            String to,
            String granularity,
            String version,
            PageRequest page) {
        MonitoringWindows.Range range = windows.range(from, to, granularity, version);
        String list = "monitoring-series-" + range.granularity().wireName();
        MonitoringWindows.Position after = MonitoringWindows.position(page, list);
        MonitoringSignal s = signal == null || signal.isBlank()
                ? null
                : MonitoringSignal.fromWire(signal).orElse(null);
        if (s == null) {
            throw MonitoringWindows.badParameter(
                    "signal",
                    "signal must be one of " + MonitoringSignal.wireNames() + "; was "
                            + (signal == null ? "none" : "'" + signal + "'"));
        }
        String name = feature == null || feature.isBlank() ? null : feature;
        if (s.perFeature() && name == null) {
            throw MonitoringWindows.badParameter(
                    "feature", "signal=" + s.wireName() + " needs feature=<name>: " + whatToName(s));
        }
        if (!s.perFeature() && name != null) {
            throw MonitoringWindows.badParameter(
                    "feature", "feature applies to signal=features and signal=skew only, not to " + s.wireName());
        }
        windows.requireModel(model);
        windows.requireVersion(model, range.version());
        if (name != null) {
            requireKnown(model, range.version(), s, name);
        }
        return page.page(
                windows.judged(
                        model,
                        range,
                        after,
                        page.fetchSize(),
                        s == MonitoringSignal.PERFORMANCE,
                        w -> MonitoringSeriesPoint.of(w, s, name)),
                list,
                p -> MonitoringWindows.sortKey(p.start(), p.version()));
    }

    /**
     * A feature (or input column) no reference of the model (of the version asked for) has is a client's mistake,
     * not an empty series: a typo would otherwise plot as "no data".
     */
    private void requireKnown(String model, Integer version, MonitoringSignal signal, String name) {
        Map<String, String> columns = references.featureColumns(model, version);
        Collection<String> known = signal == MonitoringSignal.FEATURES
                ? columns.keySet()
                : columns.values().stream().distinct().sorted().toList();
        if (!known.contains(name)) {
            throw MonitoringWindows.badParameter(
                    "feature",
                    "model '" + model + "'" + (version == null ? "" : " version " + version) + " has no "
                            + (signal == MonitoringSignal.FEATURES ? "feature" : "input column") + " '" + name
                            + "'; known: "
                            + Texts.listed(known, NAMES_IN_DETAIL));
        }
    }

    private static String whatToName(MonitoringSignal signal) {
        return signal == MonitoringSignal.FEATURES
                ? "a feature, as the window's features[].feature names it"
                : "an input column, as the window's skew[].column names it";
    }
}
