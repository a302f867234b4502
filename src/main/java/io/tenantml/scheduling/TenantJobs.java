package io.tenantml.scheduling;

import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantDeletionListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.jboss.logging.Logger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
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

    /** Schedules (or reschedules) a trigger that must belong to the same tenant as its job. */
    public void schedule(TenantId tenant, Trigger trigger) {
        if (!trigger.getKey().getGroup().equals(tenant.value())
                || !trigger.getJobKey().getGroup().equals(tenant.value())) {
            throw new IllegalArgumentException("trigger " + trigger.getKey() + " is not in tenant group " + tenant);
        }
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
