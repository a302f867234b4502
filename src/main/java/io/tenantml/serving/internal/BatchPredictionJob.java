package io.tenantml.serving.internal;

import io.quarkus.arc.Unremovable;
import io.tenantml.scheduling.TenantJob;
import io.tenantml.serving.BatchPredictionService;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.UUID;
import org.quartz.JobExecutionContext;

/** Runs the batch prediction named by the trigger, inside the tenant scope the base class opens. */
@Dependent
@Unremovable
public class BatchPredictionJob extends TenantJob {

    @Inject
    BatchRunner runner;

    @Override
    protected void executeForTenant(TenantId tenant, JobExecutionContext context) {
        String id = context.getMergedJobDataMap().getString(BatchPredictionService.BATCH_ID);
        if (id != null) {
            runner.run(tenant, UUID.fromString(id));
        }
    }
}
