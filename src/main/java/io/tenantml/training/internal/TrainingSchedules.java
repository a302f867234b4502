package io.tenantml.training.internal;

import io.tenantml.scheduling.TenantJobs;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.quartz.JobKey;

/**
 * The Quartz side of training: one durable, non-concurrent job per (tenant, model), fired by the spec's cron
 * trigger. A fire only queues a training in the run ledger; the ledger's dispatcher runs it.
 */
@ApplicationScoped
public class TrainingSchedules {

    static final String MODEL = "model";

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
        jobs.scheduleCron(tenant, scheduleTrigger(model), job, MODEL, model, cron);
    }

    public void remove(TenantId tenant, String model) {
        jobs.deleteJob(tenant, jobName(model));
    }
}
