package io.tenantml.shared;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an instant a client sends as text (a query parameter, a cursor), and keeps it within the years
 * 0001-9999. Java accepts instants a billion years away, which overflow epoch arithmetic and lie outside what
 * PostgreSQL stores; within these years every window, day and timestamp the platform derives from one is
 * representable, so an out-of-range value is the client's error (400), never a failure deep in a query.
 */
public final class TimeParameters {

    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** What {@link #instantOrDate} accepts, for a 400's detail. */
    public static final String INSTANT_OR_DATE =
            "an ISO-8601 instant such as 2026-11-30T00:00:00Z or a date (YYYY-MM-DD), between the years 0001 and 9999";

    private TimeParameters() {}

    /** An ISO-8601 instant or a UTC date (its start), within the supported years; empty when it is neither. */
    public static Optional<Instant> instantOrDate(String text) {
        if (text != null && text.length() == 10) {
            try {
                return supported(
                        LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return instant(text);
    }

    /**
     * A query parameter read as {@link #instantOrDate}: every time range of the API (audit, usage, events,
     * monitoring windows) takes the same two forms.
     *
     * @throws ProblemException 400 {@code slug} naming {@code parameter} when the value is neither
     */
    public static Instant instantOrDate(String slug, String parameter, String value) {
        return instantOrDate(value)
                .orElseThrow(() -> ProblemException.badParameter(
                        slug, parameter, parameter + " must be " + INSTANT_OR_DATE + "; was '" + value + "'"));
    }

    /** An ISO-8601 instant within the supported years; empty when it is not one. */
    public static Optional<Instant> instant(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return supported(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Whether an instant (one read from a JSON body, say) lies within the supported years. */
    public static boolean isSupported(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    private static Optional<Instant> supported(Instant instant) {
        return isSupported(instant) ? Optional.of(instant) : Optional.empty();
    }
}
