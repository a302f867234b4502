package io.tenantml.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

class SpreadCronTest {

    @Test
    void shouldGiveTheSameSeedTheSameTimeEveryTime() {
        String a = SpreadCron.resolve("H H H(0-5) * * ?", "acme/model/churn").orElseThrow();
        assertThat(SpreadCron.resolve("H H H(0-5) * * ?", "acme/model/churn")).contains(a);
        assertThat(CronExpression.isValidExpression(a)).isTrue();
    }

    @Test
    void shouldSpreadTenThousandNightlySchedulesOverTheWholeWindow() {
        int[] perHour = new int[24];
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String[] f = SpreadCron.resolve("H H H(0-5) * * ?", "tenant-" + i + "/model/demo")
                    .orElseThrow()
                    .split(" ");
            int hour = Integer.parseInt(f[2]);
            assertThat(hour).isBetween(0, 5);
            assertThat(Integer.parseInt(f[1])).isBetween(0, 59);
            assertThat(Integer.parseInt(f[0])).isBetween(0, 59);
            perHour[hour]++;
            distinct.add(f[0] + ":" + f[1] + ":" + f[2]);
        }
        // 10,000 draws over 6 hours: about 1,667 per hour; a hash that ignored the seed would put all in one
        for (int h = 0; h < 6; h++) {
            assertThat(perHour[h]).as("schedules in hour %d", h).isBetween(1_450, 1_900);
        }
        // 21,600 seconds in the window: most schedules get a second of their own
        assertThat(distinct.size()).isGreaterThan(7_000);
    }

    @Test
    void shouldLeaveExpressionsWithoutHashTokensUnchanged() {
        assertThat(SpreadCron.resolve("0 0 3 * * ?", "x")).contains("0 0 3 * * ?");
        assertThat(SpreadCron.isSpread("0 0 3 * * ?")).isFalse();
    }

    @Test
    void shouldRefuseARangeOutsideTheField() {
        assertThat(SpreadCron.resolve("0 H(0-75) 3 * * ?", "x")).isEmpty();
        assertThat(SpreadCron.resolve("0 0 H(9-3) * * ?", "x")).isEmpty();
    }

    @Test
    void shouldLeaveAnHashInAnotherPositionForQuartzToRefuse() {
        String partial = SpreadCron.resolve("0 H/15 3 * * ?", "x").orElseThrow();
        assertThat(CronExpression.isValidExpression(partial)).isFalse();
    }
}
