package io.tenantml.scheduling.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.scheduling.RunsConfig;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantDeletionListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * A leaving tenant's runs of every kind stop before its rows and files are deleted: a queued one ends CANCELLED
 * at once (and the dispatcher never claims a run of a tenant that is not active), a running one is asked to
 * stop and does at its next checkpoint (a training at its next boosting round, a batch at its next chunk), and
 * the offboarding waits for that, up to {@link RunsConfig#offboardingWait()}, so that none writes a file or
 * loads a model after the tenant's files and cache entries are gone. Idempotent.
 */
@ApplicationScoped
class RunOffboarding implements TenantDeletionListener {

    private static final Logger LOG = Logger.getLogger(RunOffboarding.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RunsConfig config;

    @Inject
    Clock clock;

    @Override
    public void onTenantDeleted(TenantId tenant) {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update run set state = 'CANCELLED', finished_at = :now, "
                            + "error_code = 'tenant-leaving', error_message = 'the tenant is being offboarded' "
                            + "where tenant_id = :tenant and state = 'QUEUED'")
                    .setParameter("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                    .setParameter("tenant", tenant.value())
                    .executeUpdate();
            em.createNativeQuery(
                            "update run set cancel_requested = true where tenant_id = :tenant and state = 'RUNNING'")
                    .setParameter("tenant", tenant.value())
                    .executeUpdate();
        });
        awaitStopped(tenant);
    }

    private void awaitStopped(TenantId tenant) {
        Duration wait = config.offboardingWait();
        long deadline = System.nanoTime() + wait.toNanos();
        int running = running(tenant);
        if (running > 0) {
            LOG.infof("offboarding of tenant %s waits for %d running run(s) to stop", tenant, running);
        }
        while (running > 0) {
            if (System.nanoTime() - deadline >= 0) {
                throw ProblemException.conflict(
                        "tenant-runs-running",
                        running + " run(s) of tenant '" + tenant + "' did not stop within " + wait.toSeconds()
                                + " s (tenantml.runs.offboarding-wait); the tenant stays leaving and nothing of it"
                                + " was deleted yet. Offboard it again to finish.");
            }
            LockSupport.parkNanos(POLL_NANOS);
            running = running(tenant);
        }
    }

    /** Running runs of the tenant whose node still confirms them (a dead node's run writes nothing more). */
    private int running(TenantId tenant) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from run where tenant_id = ? "
                        + "and state = 'RUNNING' and heartbeat_at >= now() - make_interval(secs => ?)")) {
            ps.setString(1, tenant.value());
            ps.setDouble(2, config.staleAfter().toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("runs of tenant " + tenant + " could not be counted", e);
        }
    }
}
