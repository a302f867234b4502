package io.tenantml.scheduling;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * Cron schedules as clients declare them, read in UTC as the scheduler runs them. A valid expression may
 * still never fire again (its year field lies in the past): Quartz refuses to schedule such a trigger, so it
 * is refused when declared, naming the field, instead of failing when scheduled.
 */
public final class CronSchedules {

    /** The zone every schedule is read in, on every node. */
    static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private CronSchedules() {}

    /** When the expression fires next after {@code after}; empty when it does not parse or never fires again. */
    public static Optional<Instant> nextFire(String expression, Instant after) {
        if (expression == null || !CronExpression.isValidExpression(expression)) {
            return Optional.empty();
        }
        return Optional.ofNullable(utc(expression).getNextValidTimeAfter(Date.from(after)))
                .map(Date::toInstant);
    }

    /**
     * The expression as every schedule is read, in UTC.
     *
     * @throws IllegalArgumentException when it is not a Quartz cron expression
     */
    public static CronExpression utc(String expression) {
        try {
            CronExpression cron = new CronExpression(expression);
            cron.setTimeZone(UTC);
            return cron;
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a Quartz cron expression: " + expression, e);
        }
    }

    /** Whether the expression parses and fires at least once more after {@code now}. */
    public static boolean firesAfter(String expression, Instant now) {
        return nextFire(expression, now).isPresent();
    }
}
