package io.tenantml.experts.internal;

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
 * The job of one (tenant, recommender); {@link DisallowConcurrentExecution} holds cluster-wide in the JDBC
 * store. A trigger carrying a build id runs that build; the cron trigger decides whether a build is due.
 */
@Dependent
@Unremovable
@DisallowConcurrentExecution
public class BuildJob extends TenantJob {

    @Inject
    IndexBuilder builder;

    @Override
    protected void executeForTenant(TenantId tenant, JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        String build = data.getString(BuildSchedules.BUILD_ID);
        if (build != null) {
            builder.run(UUID.fromString(build), context.isRecovering());
        } else {
            builder.scheduled(data.getString(BuildSchedules.RECOMMENDER));
        }
    }
}
