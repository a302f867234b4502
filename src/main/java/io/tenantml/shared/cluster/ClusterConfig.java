package io.tenantml.shared.cluster;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Cluster-wide invalidation of the in-memory caches on the request path. */
@ConfigMapping(prefix = "tenantml.cluster")
public interface ClusterConfig {

    /**
     * Longest life of a cached entry. Invalidation is by notification (immediate); this is only the
     * backstop for a notification that could not be delivered.
     */
    @WithDefault("10m")
    Duration cacheTtl();

    /** Most entries per cache (verified API keys; model aliases). */
    @WithDefault("100000")
    int cacheMaxEntries();

    /** Wait before reconnecting the listening connection after it failed (caches are bypassed meanwhile). */
    @WithDefault("1s")
    Duration reconnectDelay();

    /**
     * How long caches keep answering from what they held when the listening connection dropped (the
     * database restarting, a partition): warm predictions keep working meanwhile. It is the upper bound on
     * how late a revocation or alias move made on another node can take effect during an outage. Nothing
     * new is cached until the connection is back, and every cache is cleared on reconnect. 0 = fail closed
     * (caches bypassed as soon as the connection drops).
     */
    @WithDefault("3m")
    Duration outageGrace();

    /**
     * How long a request waits for a database connection while the listening connection is down (the
     * database is known to be unreachable): what needs the database answers 503 with Retry-After after at
     * most this, not after {@code quarkus.datasource.jdbc.acquisition-timeout}, which is restored on
     * reconnect. 0 keeps the normal wait.
     */
    @WithDefault("200ms")
    Duration outageAcquisitionTimeout();
}
