package io.tenantml.scheduling;

import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantScope;
import io.tenantml.tenancy.TenantService;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * Base of every tenant job. The tenant comes from the job's data ({@link #TENANT}) and must equal the
 * job group, so a job can never be pointed at another tenant by its trigger; the work runs inside a
 * fresh {@link TenantScope}, which sets the TenantContext and so the Hibernate tenant filter.
 * Subclasses are CDI beans (dependent scope) and still re-check that what they touch belongs to the tenant.
 */
public abstract class TenantJob implements Job {

    public static final String TENANT = "tenant";

    private static final Logger LOG = Logger.getLogger(TenantJob.class);

    @Inject
    TenantScope scope;

    @Inject
    TenantService tenants;

    @Override
    public final void execute(JobExecutionContext context) throws JobExecutionException {
        String group = context.getJobDetail().getKey().getGroup();
        String tenant = context.getJobDetail().getJobDataMap().getString(TENANT);
        if (tenant == null || !tenant.equals(group) || !TenantId.isValid(tenant)) {
            throw new JobExecutionException(
                    "job " + context.getJobDetail().getKey() + " carries tenant '" + tenant
                            + "' that is not its group; refusing to run",
                    false);
        }
        TenantId id = new TenantId(tenant);
        try {
            scope.callChecked(id, () -> {
                // Checked inside the tenant's scope (Hibernate needs a tenant to open a session).
                if (!tenants.isActive(id)) {
                    // Offboarding under way (or done): nothing of the tenant may start any more.
                    LOG.infof(
                            "job %s not started: tenant %s is leaving",
                            context.getJobDetail().getKey(), id);
                    return null;
                }
                executeForTenant(id, context);
                return null;
            });
        } catch (JobExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw new JobExecutionException(e, false);
        }
    }

    /** Runs with {@code tenant} in context; the merged job data holds the trigger's data too. */
    protected abstract void executeForTenant(TenantId tenant, JobExecutionContext context) throws Exception;
}
