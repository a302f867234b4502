package io.tenantml.experts.internal;

import io.tenantml.scheduling.TenantJobs;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.quartz.JobKey;

/**
 * The Quartz side of builds: one durable, non-concurrent job per (tenant, recommender), fired by the spec's cron
 * trigger. A fire only queues a build in the run ledger (or records it skipped); the ledger's dispatcher runs it.
 */
@ApplicationScoped
public class BuildSchedules {

    static final String RECOMMENDER = "recommender";

    @Inject
    TenantJobs jobs;

    static String jobName(String recommender) {
        return "recommender." + recommender;
    }

    static String scheduleTrigger(String recommender) {
        return "recommender-schedule." + recommender;
    }

    public void apply(TenantId tenant, String recommender, String cron) {
        JobKey job = jobs.ensureJob(tenant, jobName(recommender), BuildJob.class);
        if (cron == null) {
            jobs.unschedule(tenant, scheduleTrigger(recommender));
            return;
        }
        jobs.scheduleCron(tenant, scheduleTrigger(recommender), job, RECOMMENDER, recommender, cron);
    }

    public void remove(TenantId tenant, String recommender) {
        jobs.deleteJob(tenant, jobName(recommender));
    }
}
