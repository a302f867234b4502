package io.tenantml.monitoring;

import io.tenantml.monitoring.internal.MonitoringJob;
import io.tenantml.scheduling.SpreadCron;
import io.tenantml.scheduling.TenantJobs;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.quartz.JobKey;

/**
 * The Quartz side of monitoring windows: one durable, non-concurrent job per (tenant, model), fired by the
 * model's window schedule (its spec's {@code monitoringSchedule}, else
 * {@code tenantml.monitoring.window.schedule}, hourly). A fire only queues a window run in the run ledger.
 * Training's model specs set it (with {@code H} tokens already resolved), as they set the retraining schedule.
 */
@ApplicationScoped
public class MonitoringSchedules {

    /** Job data: the model whose windows the job profiles. */
    public static final String MODEL = "model";

    @Inject
    TenantJobs jobs;

    @Inject
    MonitoringConfig config;

    static String jobName(String model) {
        return "monitoring." + model;
    }

    static String scheduleTrigger(String model) {
        return "monitoring-schedule." + model;
    }

    /** Creates the model's job and sets or replaces its window schedule ({@code cron} null: the default). */
    public void apply(TenantId tenant, String model, String cron) {
        JobKey job = jobs.ensureJob(tenant, jobName(model), MonitoringJob.class);
        // the default spreads per model with H tokens too
        String schedule = cron != null
                ? cron
                : SpreadCron.resolve(config.window().schedule(), tenant.value() + "/monitoring/" + model)
                        .orElse(config.window().schedule());
        // a fire missed while the node was down is not replayed: the next run catches up every hour not yet
        // profiled anyway
        jobs.scheduleCron(tenant, scheduleTrigger(model), job, MODEL, model, schedule);
    }

    public void remove(TenantId tenant, String model) {
        jobs.deleteJob(tenant, jobName(model));
    }
}
