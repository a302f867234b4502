package io.tenantml.monitoring;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How long a monitoring window is. Hours are profiled from the prediction log; days and weeks (UTC, weeks
 * from Monday) are merged from their hours' sketches, never re-read from the log.
 */
@Schema(
        type = SchemaType.STRING,
        enumeration = {"hour", "day", "week"},
        description = "Length of a monitoring window")
public enum WindowGranularity {
    HOUR,
    DAY,
    WEEK;

    /** The start of the window of this granularity that holds {@code t}. */
    public Instant floor(Instant t) {
        return switch (this) {
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> {
                Instant day = t.truncatedTo(ChronoUnit.DAYS);
                DayOfWeek dow = day.atOffset(ZoneOffset.UTC).getDayOfWeek();
                yield day.minus(dow.getValue() - 1L, ChronoUnit.DAYS);
            }
        };
    }

    /** The end of the window that starts at {@code start}. */
    public Instant end(Instant start) {
        return switch (this) {
            case HOUR -> start.plus(1, ChronoUnit.HOURS);
            case DAY -> start.plus(1, ChronoUnit.DAYS);
            case WEEK -> start.plus(7, ChronoUnit.DAYS);
        };
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WindowGranularity> fromWire(String value) {
        for (WindowGranularity g : values()) {
            if (g.wireName().equals(value)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
