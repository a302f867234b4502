package io.tenantml.monitoring;

/**
 * The drift thresholds a tenant sets for a model (the body's {@code drift} section of
 * {@code PUT .../monitoring/settings}): each one given replaces the default, each one left out (or null) takes
 * {@link DriftRuleSettings#defaults()}'s. The meaning and default of each is on {@link DriftRuleSettings}.
 */
public record DriftThresholds(
        Double falseDiscoveryRate,
        Long minWindowCount,
        Long minReferenceCount,
        Double numericDriftDistance,
        Double numericWarningDistance,
        Double categoricalDriftDistance,
        Double categoricalWarningDistance,
        Double minExpectedCount,
        Long exactKsMaxProduct,
        Integer psiBins,
        Double datasetDriftShare,
        Integer discreteNumericMaxValues) {

    /** No threshold given: every one takes its default. */
    public static final DriftThresholds NONE =
            new DriftThresholds(null, null, null, null, null, null, null, null, null, null, null, null);

    /**
     * These thresholds over {@code base}.
     *
     * @throws DriftRuleSettings.InvalidSetting naming the first threshold out of its range
     */
    public DriftRuleSettings over(DriftRuleSettings base) {
        return new DriftRuleSettings(
                or(falseDiscoveryRate, base.falseDiscoveryRate()),
                or(minWindowCount, base.minWindowCount()),
                or(minReferenceCount, base.minReferenceCount()),
                or(numericDriftDistance, base.numericDriftDistance()),
                or(numericWarningDistance, base.numericWarningDistance()),
                or(categoricalDriftDistance, base.categoricalDriftDistance()),
                or(categoricalWarningDistance, base.categoricalWarningDistance()),
                or(minExpectedCount, base.minExpectedCount()),
                or(exactKsMaxProduct, base.exactKsMaxProduct()),
                or(psiBins, base.psiBins()),
                or(datasetDriftShare, base.datasetDriftShare()),
                or(discreteNumericMaxValues, base.discreteNumericMaxValues()));
    }

    private static <T> T or(T given, T otherwise) {
        return given != null ? given : otherwise;
    }
}
