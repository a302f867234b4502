package io.tenantml.training.internal;

import io.tenantml.scheduling.TenantJobs;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobKey;
import org.quartz.TriggerBuilder;

/**
 * The Quartz side of training: one durable, non-concurrent job per (tenant, model), fired by the spec's cron
 * trigger. A fire only queues a training in the run ledger; the ledger's dispatcher runs it.
 */
@ApplicationScoped
public class TrainingSchedules {

    static final String MODEL = "model";

    /** Schedules are read in UTC on every node, whatever the node's own zone (and so is a model's next run). */
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    @Inject
    TenantJobs jobs;

    static String jobName(String model) {
        return "model." + model;
    }

    static String scheduleTrigger(String model) {
        return "schedule." + model;
    }

    /** Creates the model's job and sets, replaces or removes its retraining schedule. */
    public void apply(TenantId tenant, String model, String cron) {
        JobKey job = jobs.ensureJob(tenant, jobName(model), TrainingJob.class);
        if (cron == null) {
            jobs.unschedule(tenant, scheduleTrigger(model));
            return;
        }
        // a node that was down while schedules passed runs at most the next one, never the backlog
        jobs.schedule(
                tenant,
                TriggerBuilder.newTrigger()
                        .withIdentity(TenantJobs.triggerKey(tenant, scheduleTrigger(model)))
                        .forJob(job)
                        .usingJobData(MODEL, model)
                        .withSchedule(CronScheduleBuilder.cronSchedule(cron)
                                .inTimeZone(UTC)
                                .withMisfireHandlingInstructionDoNothing())
                        .build());
    }

    public void remove(TenantId tenant, String model) {
        jobs.deleteJob(tenant, jobName(model));
    }
}
