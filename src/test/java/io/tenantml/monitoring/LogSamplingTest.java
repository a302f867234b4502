package io.tenantml.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantml.shared.TimeOrderedIds;
import org.junit.jupiter.api.Test;

/**
 * The log's one-in-N sample is chosen by the prediction id alone. Ids minted in a burst share their millisecond
 * and count up within it, so the sample must read the id's random bits, or a burst would be sampled in a pattern.
 */
class LogSamplingTest {

    @Test
    void shouldSampleAboutOneInNOfIdsMintedInABurstForEveryN() {
        int ids = 200_000;
        for (int every : new int[] {2, 10, 64, 1000}) {
            int sampled = 0;
            boolean previous = false;
            int runsOfTwo = 0;
            for (int i = 0; i < ids; i++) {
                boolean in = LogSettings.sampled(TimeOrderedIds.next(), every);
                if (in) {
                    sampled++;
                    if (previous) {
                        runsOfTwo++;
                    }
                }
                previous = in;
            }
            double expected = (double) ids / every;
            double sd = Math.sqrt(ids * (1.0 / every) * (1 - 1.0 / every));
            assertThat((double) sampled)
                    .as("one in %d of %d burst ids", every, ids)
                    .isBetween(expected - 5 * sd, expected + 5 * sd);
            // consecutive ids are independent: two sampled in a row about as often as chance says
            double pairs = (double) ids / every / every;
            assertThat((double) runsOfTwo)
                    .as("consecutive pairs sampled, one in %d", every)
                    .isBetween(pairs - 5 * Math.sqrt(pairs) - 1, pairs + 5 * Math.sqrt(pairs) + 1);
        }
    }
}
