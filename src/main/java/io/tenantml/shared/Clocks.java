package io.tenantml.shared;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The platform's one clock, injected wherever time matters so that tests can pin it. It ticks in microseconds, the
 * precision PostgreSQL stores: an instant answered by a write is then the one a read of the stored row answers.
 * With the system clock's nanoseconds, a PUT answered {@code 17:23:17.618682100Z} and the GET after it
 * {@code 17:23:17.618682Z}, and PostgreSQL rounds, so some differed by a microsecond as well.
 */
@ApplicationScoped
public class Clocks {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.of(1, ChronoUnit.MICROS));
    }
}
