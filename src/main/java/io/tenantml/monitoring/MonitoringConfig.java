package io.tenantml.monitoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Monitoring settings; every key under {@code tenantml.monitoring}. */
@ConfigMapping(prefix = "tenantml.monitoring")
public interface MonitoringConfig {

    Log log();

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
