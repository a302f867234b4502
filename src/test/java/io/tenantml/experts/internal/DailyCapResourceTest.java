package io.tenantml.experts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only today's per-expert counts are ever read; days before yesterday are deleted, not kept for good. */
@QuarkusTest
class DailyCapResourceTest {

    @Inject
    DailyCap cap;

    @Test
    void shouldDeleteCountsOfDaysBeforeYesterdayAndKeepYesterdayAndToday() throws Exception {
        TenantId tenant = TenantId.of(Api.uniqueTenant("cap"));
        Api.createTenant(tenant.value());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (LocalDate day : List.of(today.minusDays(3), today.minusDays(2), today.minusDays(1), today)) {
            cap.count(tenant, "r", day, List.of("ada", "grace"));
        }

        assertThat(cap.prune(today)).isGreaterThanOrEqualTo(4);

        assertThat(cap.given(tenant, "r", today.minusDays(3))).isEmpty();
        assertThat(cap.given(tenant, "r", today.minusDays(2))).isEmpty();
        assertThat(cap.given(tenant, "r", today.minusDays(1))).containsOnlyKeys("ada", "grace");
        assertThat(cap.given(tenant, "r", today)).containsEntry("ada", 1).containsEntry("grace", 1);
    }
}
