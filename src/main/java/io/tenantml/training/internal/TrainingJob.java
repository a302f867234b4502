package io.tenantml.training.internal;

import io.quarkus.arc.Unremovable;
import io.tenantml.scheduling.TenantJob;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.UUID;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;

/**
 * The job of one (tenant, model). {@link DisallowConcurrentExecution} holds cluster-wide in the JDBC
 * store, so at most one run per model executes at a time across all nodes. A trigger carrying a
 * training id runs that training; the cron trigger decides whether a scheduled training is due.
 */
@Dependent
@Unremovable
@DisallowConcurrentExecution
public class TrainingJob extends TenantJob {

    @Inject
    TrainingRunner runner;

    @Override
    protected void executeForTenant(TenantId tenant, JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        String trainingId = data.getString(TrainingSchedules.TRAINING_ID);
        if (trainingId != null) {
            runner.run(UUID.fromString(trainingId), context.isRecovering());
        } else {
            runner.scheduled(data.getString(TrainingSchedules.MODEL));
        }
    }
}
