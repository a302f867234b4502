package io.tenantml.monitoring.internal;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Keeps the prediction log's partitions: days ahead created, days past their class's retention dropped.
 * Not a tenant job: a partition holds every tenant of one retention class for one day, and dropping it is
 * the whole of retention. Quartz runs it on one node of the cluster at a time; a missed run is harmless (the
 * next one drops what is due, the writer creates what is missing).
 */
@ApplicationScoped
public class LogMaintenance {

    @Inject
    LogPartitions partitions;

    @Scheduled(
            identity = "prediction-log-partitions",
            every = "${tenantml.monitoring.log.maintenance-every:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void maintain() {
        partitions.maintain();
    }
}
