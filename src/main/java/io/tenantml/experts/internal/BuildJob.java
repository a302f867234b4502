package io.tenantml.experts.internal;

import io.quarkus.arc.Unremovable;
import io.tenantml.scheduling.TenantJob;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;

/**
 * The cron job of one (tenant, recommender): decides whether a scheduled build is due and queues it in the run
 * ledger, or records the fire as skipped; it never builds on the Quartz thread. {@link DisallowConcurrentExecution}
 * holds cluster-wide in the JDBC store, so two nodes never decide for the same fire.
 */
@Dependent
@Unremovable
@DisallowConcurrentExecution
public class BuildJob extends TenantJob {

    @Inject
    IndexBuilder builder;

    @Override
    protected void executeForTenant(TenantId tenant, JobExecutionContext context) {
        String recommender = context.getMergedJobDataMap().getString(BuildSchedules.RECOMMENDER);
        if (recommender != null) {
            builder.scheduled(recommender);
        }
    }
}
