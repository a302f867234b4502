package io.tenantml.monitoring;

import io.tenantml.shared.JsonBodies;

/**
 * The thresholds of the drift decision, per model; {@link #defaults()} documents each default and why
 * (docs/architecture.md, "Drift decision", has the reasoning in full).
 *
 * @param falseDiscoveryRate q of Benjamini–Hochberg across a model's features in one window: a feature is
 *     significant when its adjusted p-value is below q. Default 0.05: under no drift at all, the chance
 *     that any feature of the window is called significant is at most 5%, however many features
 * @param minWindowCount fewer values than this in the window: {@code INSUFFICIENT_DATA}, no verdict.
 *     Default 100: below it KS only sees shifts of a third of a standard deviation or more, and an "ok"
 *     would claim more than the data shows (Evidently #509)
 * @param minReferenceCount same for the training reference. Default 100
 * @param numericDriftDistance KS distance (largest CDF gap, sketch error subtracted) from which a
 *     significant numeric feature is {@code DRIFT}. Default 0.05: a normal feature shifted by 0.125 sd, a
 *     uniform one by 0.17 sd; below it a shift is called negligible however large the window (Evidently #50)
 * @param numericWarningDistance the same for {@code WARNING}. Default 0.025 (half)
 * @param categoricalDriftDistance Jensen–Shannon distance (base 2, sketch error subtracted) from which a
 *     significant categorical feature is {@code DRIFT}. Default 0.05: every move of at least 6 points of
 *     share (total variation 0.06) is above it, since JS ≥ 0.849·TV
 * @param categoricalWarningDistance the same for {@code WARNING}. Default 0.025
 * @param minExpectedCount χ² pools categories whose expected count is below this. Default 5 (Cochran)
 * @param exactKsMaxProduct exact KS p-values while reference size × window size is at most this (and both
 *     are exact), else asymptotic. Default 1,000,000 (a window of 50 against a
 *     reference of 20,000, or 1,000 against 1,000): the exact count then takes at most a few milliseconds
 *     per feature; beyond it SciPy's asymptotic method, whose effective sample size is then in the hundreds
 * @param psiBins reference quantile bins of the numeric PSI. Default 10 (deciles, the usual PSI)
 * @param datasetDriftShare share of evaluated features in {@code DRIFT} from which the whole window is
 *     {@code DRIFT}. Default 0.5, Evidently's default, so the two dashboards read alike; with fewer
 *     drifting features the window is {@code WARNING}
 * @param discreteNumericMaxValues a numeric feature whose reference holds at most this many distinct
 *     values (a flag, a rating, a count of rooms) is judged like a categorical one, by χ² and Jensen–Shannon
 *     over its values. Default 5, Evidently's cut: KS assumes a continuous distribution and is conservative
 *     on ties, so on a 0/1 feature it misses share moves that χ² sees; 0 turns it off
 *     <p>A tenant sets them per model with {@code PUT .../models/{m}/monitoring/settings} ({@link
 *     MonitoringSettings}); a model that set none is judged with {@link #defaults()}.
 */
public record DriftRuleSettings(
        double falseDiscoveryRate,
        long minWindowCount,
        long minReferenceCount,
        double numericDriftDistance,
        double numericWarningDistance,
        double categoricalDriftDistance,
        double categoricalWarningDistance,
        double minExpectedCount,
        long exactKsMaxProduct,
        int psiBins,
        double datasetDriftShare,
        int discreteNumericMaxValues) {

    public DriftRuleSettings {
        requireOpenUnit("falseDiscoveryRate", falseDiscoveryRate);
        requirePositive("minWindowCount", minWindowCount);
        requirePositive("minReferenceCount", minReferenceCount);
        requireOpenUnit("numericDriftDistance", numericDriftDistance);
        requireOpenUnit("categoricalDriftDistance", categoricalDriftDistance);
        if (!(numericWarningDistance > 0 && numericWarningDistance <= numericDriftDistance)) {
            throw new InvalidSetting(
                    "numericWarningDistance",
                    "numericWarningDistance must be in (0, numericDriftDistance], was " + numericWarningDistance);
        }
        if (!(categoricalWarningDistance > 0 && categoricalWarningDistance <= categoricalDriftDistance)) {
            throw new InvalidSetting(
                    "categoricalWarningDistance",
                    "categoricalWarningDistance must be in (0, categoricalDriftDistance], was "
                            + categoricalWarningDistance);
        }
        if (!(minExpectedCount >= 0 && Double.isFinite(minExpectedCount))) {
            throw new InvalidSetting(
                    "minExpectedCount",
                    "minExpectedCount must be a finite number not below 0, was " + minExpectedCount);
        }
        if (exactKsMaxProduct < 0) {
            throw new InvalidSetting(
                    "exactKsMaxProduct", "exactKsMaxProduct must not be negative, was " + exactKsMaxProduct);
        }
        if (psiBins < 2) {
            throw new InvalidSetting("psiBins", "psiBins must be at least 2, was " + psiBins);
        }
        if (!(datasetDriftShare > 0 && datasetDriftShare <= 1)) {
            throw new InvalidSetting(
                    "datasetDriftShare", "datasetDriftShare must be in (0, 1], was " + datasetDriftShare);
        }
        if (discreteNumericMaxValues < 0) {
            throw new InvalidSetting(
                    "discreteNumericMaxValues",
                    "discreteNumericMaxValues must not be negative, was " + discreteNumericMaxValues);
        }
    }

    /** A setting out of its range, naming it (an {@link IllegalArgumentException}, as before). */
    public static final class InvalidSetting extends IllegalArgumentException implements JsonBodies.InvalidField {
        private final String field;

        InvalidSetting(String field, String message) {
            super(message);
            this.field = field;
        }

        @Override
        public String field() {
            return field;
        }
    }

    public static DriftRuleSettings defaults() {
        return new DriftRuleSettings(0.05, 100, 100, 0.05, 0.025, 0.05, 0.025, 5.0, 1_000_000, 10, 0.5, 5);
    }

    private static void requireOpenUnit(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new InvalidSetting(name, name + " must be in (0, 1), was " + value);
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new InvalidSetting(name, name + " must be positive, was " + value);
        }
    }
}
