package io.tenantml.monitoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Monitoring settings; every key under {@code tenantml.monitoring}. */
@ConfigMapping(prefix = "tenantml.monitoring")
public interface MonitoringConfig {

    Log log();

    Window window();

    /**
     * How long a model's hourly window profiles and its finished window runs are kept. Far longer than the largest
     * prediction log retention class, so that the drift and performance series outlive the log they summarise and a
     * year can be compared with the last; older ones go (one node, every {@link #historyRetentionEvery()}), and the
     * monitoring rules' firings, which name those runs, with them ({@code rules.internal.FiringRetention}).
     */
    @WithDefault("P400D")
    Duration historyRetention();

    /** How often one node of the cluster deletes what fell out of {@link #historyRetention()}. */
    @WithDefault("1h")
    String historyRetentionEvery();

    Performance performance();

    interface Performance {
        /**
         * Fitted CBPE estimators kept in memory, one per model version (tenant, model, version), so that a page
         * of windows fits each version's estimator once (a fit on 100,000 validation rows takes about a second).
         */
        @WithDefault("64")
        int estimatorCacheEntries();
    }

    interface Window {
        /**
         * When a model's windows are profiled unless its spec sets {@code monitoringSchedule}: a Quartz cron
         * expression in UTC, {@code H} tokens resolved per tenant and model (SpreadCron). Default: every hour,
         * at a second and minute between 5 and 14 past fixed per model (the hour just closed, with at least five
         * minutes for the log's writer to catch up; a fleet's models do not all start at once).
         */
        @WithDefault("H H(5-14) * * * ?")
        String schedule();

        /**
         * How far back a window run looks for hours not yet profiled (a model that had no run for longer
         * starts again from this far back, never from the whole retention).
         */
        @WithDefault("PT24H")
        Duration lookback();

        /**
         * Per-feature Prometheus series are kept for at most this many features of each model, the most
         * drifting first (the other per-model series are per status, so cardinality stays bounded).
         */
        @WithDefault("5")
        int topFeatures();
    }

    interface Log {
        /** Prediction-log records waiting to be written; beyond this they are dropped and counted. */
        @WithDefault("20000")
        int queueCapacity();

        /** Most records written in one COPY. */
        @WithDefault("500")
        int batchSize();

        /** Longest a record waits in the queue before a partial batch is written. */
        @WithDefault("PT0.2S")
        Duration flushInterval();

        /** Days a tenant's log is kept unless the tenant sets its own retention. */
        @WithDefault("90")
        int retentionDays();

        /**
         * The retention classes, in days: each has its own daily partitions, and a tenant's retention is
         * rounded up to the next class (so its log is kept at least as long as asked, and at most one class
         * step plus a day longer). A tenant may not ask for more than the largest class.
         */
        @WithDefault("7,30,90,180,365")
        List<Integer> retentionClasses();

        /** Daily partitions created ahead of today (the writer also creates a missing one on demand). */
        @WithDefault("3")
        int partitionsAhead();

        /** Share of a model's predictions logged unless the model sets its own (1 = all). */
        @WithDefault("1.0")
        double sampleRate();
    }
}
