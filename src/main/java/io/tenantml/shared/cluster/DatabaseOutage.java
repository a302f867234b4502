package io.tenantml.shared.cluster;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * While the cluster listener's connection is down, the database is known to be unreachable from this node:
 * a request that needs it should hear so at once (503 with Retry-After, see {@code ProblemMappers}), not
 * after waiting out the pool's acquisition timeout for a connection that cannot be made. So the pool's
 * acquisition timeout is lowered to {@link ClusterConfig#outageAcquisitionTimeout} when the connection
 * drops and restored to {@code quarkus.datasource.jdbc.acquisition-timeout} when it is back. Nothing changes
 * while the database is reachable; pooled connections that still work keep working during the outage.
 */
@Startup
@ApplicationScoped
public class DatabaseOutage {

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);

    @Inject
    ClusterEvents events;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ClusterConfig config;

    private Duration normal;
    private volatile boolean down;

    @PostConstruct
    void register() {
        normal = pool().acquisitionTimeout();
        events.onLost(this::lost);
        events.onResync(this::back);
    }

    /** Whether the database is known to be unreachable (the listening connection is down). */
    public boolean down() {
        return down;
    }

    private void lost() {
        Duration shortWait = config.outageAcquisitionTimeout();
        if (shortWait.isZero() || shortWait.isNegative() || shortWait.compareTo(normal) >= 0) {
            return; // 0 (or a wait no shorter than the normal one): keep waiting as configured
        }
        if (!down) {
            LOG.warnf(
                    "database unreachable: requests that need it wait at most %d ms for a connection until it is"
                            + " back",
                    shortWait.toMillis());
        }
        down = true;
        pool().setAcquisitionTimeout(shortWait);
    }

    private void back() {
        if (down) {
            LOG.info("database reachable again: the normal wait for a connection is restored");
        }
        down = false;
        pool().setAcquisitionTimeout(normal);
    }

    private AgroalConnectionPoolConfiguration pool() {
        return dataSource.getConfiguration().connectionPoolConfiguration();
    }
}
