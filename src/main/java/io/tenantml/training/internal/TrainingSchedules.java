package io.tenantml.training.internal;

import io.tenantml.scheduling.TenantJobs;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobKey;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;

/**
 * The Quartz side of training: one durable, non-concurrent job per (tenant, model), fired by a one-shot
 * trigger per requested training and by the spec's cron trigger.
 */
@ApplicationScoped
public class TrainingSchedules {

    static final String TRAINING_ID = "trainingId";
    static final String MODEL = "model";

    @Inject
    TenantJobs jobs;

    static String jobName(String model) {
        return "model." + model;
    }

    static String scheduleTrigger(String model) {
        return "schedule." + model;
    }

    static String trainingTrigger(UUID trainingId) {
        return "training." + trainingId;
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
                        .withSchedule(CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionDoNothing())
                        .build());
    }

    /** Fires the model's job once for a queued training. */
    public void enqueue(TenantId tenant, String model, UUID trainingId) {
        JobKey job = jobs.ensureJob(tenant, jobName(model), TrainingJob.class);
        jobs.schedule(
                tenant,
                TriggerBuilder.newTrigger()
                        .withIdentity(TenantJobs.triggerKey(tenant, trainingTrigger(trainingId)))
                        .forJob(job)
                        .usingJobData(TRAINING_ID, trainingId.toString())
                        .startNow()
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                        .build());
    }

    /** Drops a queued training's trigger (cancellation before it started). */
    public void dequeue(TenantId tenant, UUID trainingId) {
        jobs.unschedule(tenant, trainingTrigger(trainingId));
    }

    public void remove(TenantId tenant, String model) {
        jobs.deleteJob(tenant, jobName(model));
    }
}
