package io.tenantml.experts.internal;

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
 * The Quartz side of builds: one durable, non-concurrent, recoverable job per (tenant, recommender), fired by
 * a one-shot trigger per requested build and by the spec's cron trigger.
 */
@ApplicationScoped
public class BuildSchedules {

    static final String BUILD_ID = "buildId";
    static final String RECOMMENDER = "recommender";

    @Inject
    TenantJobs jobs;

    static String jobName(String recommender) {
        return "recommender." + recommender;
    }

    static String scheduleTrigger(String recommender) {
        return "recommender-schedule." + recommender;
    }

    static String buildTrigger(UUID build) {
        return "build." + build;
    }

    public void apply(TenantId tenant, String recommender, String cron) {
        JobKey job = jobs.ensureJob(tenant, jobName(recommender), BuildJob.class);
        if (cron == null) {
            jobs.unschedule(tenant, scheduleTrigger(recommender));
            return;
        }
        jobs.schedule(
                tenant,
                TriggerBuilder.newTrigger()
                        .withIdentity(TenantJobs.triggerKey(tenant, scheduleTrigger(recommender)))
                        .forJob(job)
                        .usingJobData(RECOMMENDER, recommender)
                        .withSchedule(CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionDoNothing())
                        .build());
    }

    public void enqueue(TenantId tenant, String recommender, UUID build) {
        JobKey job = jobs.ensureJob(tenant, jobName(recommender), BuildJob.class);
        jobs.schedule(
                tenant,
                TriggerBuilder.newTrigger()
                        .withIdentity(TenantJobs.triggerKey(tenant, buildTrigger(build)))
                        .forJob(job)
                        .usingJobData(BUILD_ID, build.toString())
                        .startNow()
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                        .build());
    }

    public void remove(TenantId tenant, String recommender) {
        jobs.deleteJob(tenant, jobName(recommender));
    }
}
