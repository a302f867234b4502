package io.tenantml.scheduling;

import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantDeletionListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.jboss.logging.Logger;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * Creates and removes tenant jobs in the clustered Quartz store: job group = tenant id, tenant in the
 * job data, durable and {@code requestsRecovery} so that a run on a node that dies is redone once by
 * another node (or by the same node after a restart). Forgets every job of a tenant on offboarding.
 */
@ApplicationScoped
public class TenantJobs implements TenantDeletionListener {

    private static final Logger LOG = Logger.getLogger(TenantJobs.class);

    @Inject
    Scheduler scheduler;

    public static JobKey jobKey(TenantId tenant, String name) {
        return JobKey.jobKey(name, tenant.value());
    }

    public static TriggerKey triggerKey(TenantId tenant, String name) {
        return TriggerKey.triggerKey(name, tenant.value());
    }

    /** Adds (or replaces) the durable job {@code name} of the tenant. */
    public JobKey ensureJob(TenantId tenant, String name, Class<? extends TenantJob> type) {
        JobKey key = jobKey(tenant, name);
        JobDetail job = JobBuilder.newJob(type)
                .withIdentity(key)
                .usingJobData(TenantJob.TENANT, tenant.value())
                .storeDurably()
                .requestRecovery(true)
                .build();
        try {
            scheduler.addJob(job, true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("job " + key + " could not be stored", e);
        }
        return key;
    }

    /**
     * Sets (or replaces) the cron trigger {@code triggerName} of the tenant's job, passing {@code dataKey} =
     * {@code dataValue} to each fire. Every schedule is read in UTC, as {@link CronSchedules} validates it, so that
     * it fires at the same instants on every node whatever the node's zone; a node that was down while fires passed
     * runs at most the next one, never the backlog.
     */
    public void scheduleCron(
            TenantId tenant, String triggerName, JobKey job, String dataKey, String dataValue, String cron) {
        if (!job.getGroup().equals(tenant.value())) {
            throw new IllegalArgumentException("job " + job + " is not in tenant group " + tenant);
        }
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(triggerKey(tenant, triggerName))
                .forJob(job)
                .usingJobData(dataKey, dataValue)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron)
                        .inTimeZone(CronSchedules.UTC)
                        .withMisfireHandlingInstructionDoNothing())
                .build();
        try {
            if (scheduler.checkExists(trigger.getKey())) {
                scheduler.rescheduleJob(trigger.getKey(), trigger);
            } else {
                scheduler.scheduleJob(trigger);
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("trigger " + trigger.getKey() + " could not be scheduled", e);
        }
    }

    public boolean unschedule(TenantId tenant, String triggerName) {
        try {
            return scheduler.unscheduleJob(triggerKey(tenant, triggerName));
        } catch (SchedulerException e) {
            throw new IllegalStateException("trigger " + triggerName + " could not be removed", e);
        }
    }

    public void deleteJob(TenantId tenant, String name) {
        try {
            scheduler.deleteJob(jobKey(tenant, name));
        } catch (SchedulerException e) {
            throw new IllegalStateException("job " + name + " could not be deleted", e);
        }
    }

    @Override
    public void onTenantDeleted(TenantId tenant) {
        try {
            Set<JobKey> jobs = scheduler.getJobKeys(GroupMatcher.jobGroupEquals(tenant.value()));
            scheduler.deleteJobs(java.util.List.copyOf(jobs));
            LOG.debugf("removed %d jobs of tenant %s", jobs.size(), tenant);
        } catch (SchedulerException e) {
            throw new IllegalStateException("jobs of tenant " + tenant + " could not be removed", e);
        }
    }
}
