package io.tenantml.training.internal;

import io.quarkus.arc.Unremovable;
import io.tenantml.scheduling.TenantJob;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;

/**
 * The cron job of one (tenant, model): decides whether a scheduled training is due and queues it in the run
 * ledger; it never trains on the Quartz thread. {@link DisallowConcurrentExecution} holds cluster-wide in the JDBC
 * store, so two nodes never decide for the same fire.
 */
@Dependent
@Unremovable
@DisallowConcurrentExecution
public class TrainingJob extends TenantJob {

    @Inject
    TrainingRunner runner;

    @Override
    protected void executeForTenant(TenantId tenant, JobExecutionContext context) {
        String model = context.getMergedJobDataMap().getString(TrainingSchedules.MODEL);
        if (model != null) {
            runner.scheduled(model);
        }
    }
}
