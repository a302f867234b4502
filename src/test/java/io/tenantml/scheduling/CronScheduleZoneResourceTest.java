package io.tenantml.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tenantml.experts.ExpertsData;
import io.tenantml.shared.TenantId;
import io.tenantml.testing.Api;
import io.tenantml.testing.Fixtures;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.Trigger;

@QuarkusTest
class CronScheduleZoneResourceTest {

    private static final String NIGHTLY = "0 0 3 * * ?";

    @Inject
    Scheduler scheduler;

    /**
     * A schedule is validated in UTC (CronSchedules); a trigger in the node's own zone would fire at other instants
     * on nodes in other zones, and at another hour than the one the tenant was told.
     */
    @Test
    void shouldFireEveryDeclaredScheduleInUtcWhateverTheNodesZone() throws Exception {
        String tenant = Api.uniqueTenant("zone");
        String key = Api.createTenant(tenant);
        Fixtures.uploadResource(tenant, key, "penguins", "penguins.json");
        Map<String, Object> model = new HashMap<>(Fixtures.PENGUINS_SPECIES);
        model.put("schedule", NIGHTLY);
        model.put("monitoringSchedule", NIGHTLY);
        Fixtures.defineModel(tenant, key, "species", model, true);
        ExpertsData.declare(tenant, key, ExpertsData.DATASET);
        Map<String, Object> recommender = new HashMap<>(ExpertsData.spec(ExpertsData.DATASET));
        recommender.put("schedule", NIGHTLY);
        Response put = ExpertsData.put(tenant, key, "experts", recommender);
        assertThat(put.statusCode()).as(put.asString()).isIn(200, 201);

        for (String trigger :
                new String[] {"schedule.species", "monitoring-schedule.species", "recommender-schedule.experts"}) {
            Trigger found = scheduler.getTrigger(TenantJobs.triggerKey(new TenantId(tenant), trigger));
            assertThat(found).as(trigger).isInstanceOf(CronTrigger.class);
            CronTrigger cron = (CronTrigger) found;
            assertThat(cron.getCronExpression()).as(trigger).isEqualTo(NIGHTLY);
            assertThat(cron.getTimeZone().getID()).as(trigger).isEqualTo("UTC");
            assertThat(cron.getMisfireInstruction())
                    .as(trigger + ": a node that was down fires once, not the backlog")
                    .isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING);
        }
    }
}
