package io.tenantml.monitoring.internal;

import io.quarkus.arc.Unremovable;
import io.tenantml.monitoring.MonitoringSchedules;
import io.tenantml.monitoring.MonitoringWindows;
import io.tenantml.scheduling.TenantJob;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;

/**
 * The window schedule of one (tenant, model): queues a window run in the run ledger (unless one is queued
 * or running); it never profiles on the Quartz thread.
 */
@Dependent
@Unremovable
@DisallowConcurrentExecution
public class MonitoringJob extends TenantJob {

    @Inject
    MonitoringWindows windows;

    @Override
    protected void executeForTenant(TenantId tenant, JobExecutionContext context) {
        String model = context.getMergedJobDataMap().getString(MonitoringSchedules.MODEL);
        if (model != null) {
            windows.scheduled(model);
        }
    }
}
