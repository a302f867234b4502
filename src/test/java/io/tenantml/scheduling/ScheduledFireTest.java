package io.tenantml.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduledFireTest {

    private final List<String> reads = new ArrayList<>();

    private ScheduledFire decide(Optional<Integer> latest, Optional<String> active, Integer lastUsed) {
        return ScheduledFire.decide(
                "sales",
                latest,
                () -> {
                    reads.add("active");
                    return active;
                },
                version -> {
                    reads.add("last-used");
                    return Optional.ofNullable(lastUsed)
                            .filter(used -> used >= version)
                            .map(used -> "version " + used + " used");
                });
    }

    @Test
    void shouldStartOnTheLatestVersionWhenNothingRunsAndItIsNew() {
        assertThat(decide(Optional.of(4), Optional.empty(), 3)).isEqualTo(new ScheduledFire.Start(4));
        assertThat(decide(Optional.of(1), Optional.empty(), null)).isEqualTo(new ScheduledFire.Start(1));
    }

    @Test
    void shouldAskWhetherARunIsActiveBeforeWhichVersionTheLastOneUsed() {
        // the other order misses a run that ends between the two reads (see ScheduledFire)
        assertThat(decide(Optional.of(4), Optional.empty(), 4)).isEqualTo(new ScheduledFire.Skip(4, "version 4 used"));
        assertThat(reads).containsExactly("active", "last-used");
    }

    @Test
    void shouldSkipNamingTheActiveRunWithoutReadingTheLastOne() {
        assertThat(decide(Optional.of(4), Optional.of("training t1 is running"), 3))
                .isEqualTo(new ScheduledFire.Skip(4, "training t1 is running"));
        assertThat(reads).containsExactly("active");
    }

    @Test
    void shouldSkipADatasetWithoutVersionsWithoutReadingRuns() {
        assertThat(decide(Optional.empty(), Optional.of("running"), 3))
                .isEqualTo(new ScheduledFire.Skip(null, "dataset 'sales' has no version yet"));
        assertThat(reads).isEmpty();
    }
}
