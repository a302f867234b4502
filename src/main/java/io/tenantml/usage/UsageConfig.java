package io.tenantml.usage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Metering settings; every key under {@code tenantml.usage}. */
@ConfigMapping(prefix = "tenantml.usage")
public interface UsageConfig {

    /**
     * How often the in-memory per-minute totals of high-rate meters ({@code predict.records},
     * {@code recommend.queries}, {@code embedding.calls}) are written to the database. This is the loss
     * window: a node killed without a shutdown loses at most the facts of the last interval (plus one
     * flush that was being written), never counts one twice. A clean shutdown flushes everything.
     */
    @WithDefault("PT1S")
    Duration flushInterval();

    /**
     * How long the per-minute rows of the high-rate meters are kept before one node sums them into one row per hour
     * (tenant, meter, model, version and other dimensions kept). Reports group by day or month, so nothing they show
     * changes; an interval whose {@code from} or {@code to} cuts an hour older than this counts that hour by its start.
     * A node that could not write a minute's total within half of this drops it (logged as lost usage) rather than
     * write it beside the hour it was already summed into.
     */
    @WithDefault("P2D")
    Duration minuteRetention();

    /**
     * How long those hour rows are kept before one node sums each UTC day's into one row per day (the same
     * dimensions). Reports group by day or month, so again nothing they show changes; a {@code from} or {@code to}
     * inside a day older than this counts that day by its start. Online traffic otherwise leaves up to 24 rows a day
     * for each meter, model version and tenant for good.
     */
    @WithDefault("P90D")
    Duration hourRetention();

    /**
     * How often one node of the cluster sums the minute rows older than {@link #minuteRetention()} into hours, then
     * the hour rows older than {@link #hourRetention()} into days.
     */
    @WithDefault("1h")
    String rollupEvery();

    /**
     * Quartz cron (UTC) of the daily storage sample: one {@code storage.byte_days} event per tenant and day, with
     * the bytes the tenant stores then. Runs on one node of the cluster; a second run the same day changes nothing.
     */
    @WithDefault("0 15 0 * * ?")
    String storageSampleCron();

    /** Platform defaults of every plan limit (see {@link PlanLimits}); unset = unlimited. */
    Defaults defaults();

    interface Defaults {
        /** Shortest interval between two fires of a model's schedule. */
        @WithDefault("PT1H")
        Duration minScheduleInterval();

        /** Largest /predict body in bytes (uploads keep the HTTP layer's large limit). */
        @WithDefault("1048576")
        long predictBodyBytes();

        /** Requests per second to /predict per credential. */
        java.util.Optional<Long> predictRequestsPerSecond();

        /** Requests per second to recommend per credential. */
        java.util.Optional<Long> recommendRequestsPerSecond();

        /** Trainings per tenant and UTC day. */
        java.util.Optional<Long> trainingsPerDay();

        /**
         * Jobs queued or running at once per tenant, trainings, batch predictions and index builds (monitoring window
         * runs are the platform's and never count).
         */
        java.util.Optional<Long> concurrentJobs();

        /** Datasets per tenant. */
        java.util.Optional<Long> datasets();

        /** Models per tenant. */
        java.util.Optional<Long> models();

        /** Rows per dataset version. */
        java.util.Optional<Long> rowsPerDatasetVersion();

        /** Bytes stored per tenant. */
        java.util.Optional<Long> storedBytes();

        /** Concurrent uploads per tenant. */
        java.util.Optional<Long> concurrentUploads();
    }
}
