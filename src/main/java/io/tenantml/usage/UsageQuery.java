package io.tenantml.usage;

import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TimeParameters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A usage question: the half-open interval [from, to), at most one meter, and the groups.
 *
 * @param meter null for every meter
 */
public record UsageQuery(Instant from, Instant to, Meter meter, Set<UsageGrouping> groupBy) {

    /** Default interval when none is given. */
    public static final Duration DEFAULT_SPAN = Duration.ofDays(30);

    /**
     * From query parameters as they came: {@code from}/{@code to} as ISO instants or UTC dates
     * ({@code 2026-11-30} = that day's midnight), {@code groupBy} comma-separated. 400 {@code invalid-usage-query}
     * naming the parameter otherwise.
     */
    public static UsageQuery parse(String from, String to, String meter, String groupBy, Clock clock) {
        return parse(from, to, meter, groupBy, clock, true);
    }

    /**
     * As {@link #parse(String, String, String, String, Clock)}; {@code meterAlways} false leaves meter out of the
     * groups unless asked for (costs share one currency and add up across meters, quantities do not).
     */
    public static UsageQuery parse(
            String from, String to, String meter, String groupBy, Clock clock, boolean meterAlways) {
        Instant end = to == null || to.isBlank() ? clock.instant() : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(DEFAULT_SPAN) : instant("from", from);
        if (!start.isBefore(end)) {
            throw invalid("from", "from must be before to");
        }
        Meter m = null;
        if (meter != null && !meter.isBlank()) {
            m = Meter.find(meter);
            if (m == null) {
                throw invalid("meter", "unknown meter '" + meter + "'");
            }
        }
        Set<UsageGrouping> groups = meterAlways ? EnumSet.of(UsageGrouping.METER) : EnumSet.noneOf(UsageGrouping.class);
        if (groupBy != null && !groupBy.isBlank()) {
            for (String part : groupBy.split(",")) {
                UsageGrouping g = UsageGrouping.find(part.trim());
                if (g == null) {
                    throw invalid(
                            "groupBy",
                            "unknown grouping '" + part.trim()
                                    + "' (expected tenant, meter, model, version, day or month)");
                }
                groups.add(g);
            }
        }
        if (groups.contains(UsageGrouping.VERSION)) {
            groups.add(UsageGrouping.MODEL);
        }
        return new UsageQuery(start, end, m, groups);
    }

    private static Instant instant(String parameter, String value) {
        return TimeParameters.instantOrDate("invalid-usage-query", parameter, value);
    }

    private static ProblemException invalid(String parameter, String detail) {
        return ProblemException.badParameter("invalid-usage-query", parameter, detail);
    }
}
