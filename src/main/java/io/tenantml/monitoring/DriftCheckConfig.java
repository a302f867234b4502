package io.tenantml.monitoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Batch drift checks of a dataset version against a model's production reference ({@link DriftChecks}). */
@ConfigMapping(prefix = "tenantml.monitoring.drift-check")
public interface DriftCheckConfig {

    /**
     * Most rows of a dataset version checked synchronously in the request (read, encoded and profiled exactly:
     * about 1 s per 100,000 rows of a 20-feature model); a larger version is refused with 413.
     */
    @WithDefault("200000")
    long maxRows();
}
