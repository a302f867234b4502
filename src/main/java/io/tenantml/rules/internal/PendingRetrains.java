package io.tenantml.rules.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.database.Batches;
import io.tenantml.tenancy.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Starts the retrains a rule decided and no node started. A window run marks a retrain pending in its SUCCEEDED
 * commit and its node starts it just after ({@link RuleEvaluator#committed}); a node that dies in between, or a
 * start that failed unexpectedly, left it for the model's next window run, an hour or a day later. This job looks
 * every minute instead, on one node at a time: each pending retrain of an active tenant is started in that
 * tenant's scope by the same path, whose claim lets exactly one of two racing starts through. Not a tenant job:
 * one read finds every tenant's.
 */
@ApplicationScoped
public class PendingRetrains {

    private static final Logger LOG = Logger.getLogger(PendingRetrains.class);

    /** Models a run looks at, at most: the rest is the next run's. */
    static final int MOST = 1_000;

    private record Left(TenantId tenant, String model, UUID run) {}

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TenantScope scope;

    @Inject
    RuleEvaluator evaluator;

    @Scheduled(
            identity = "rules-pending-retrains",
            every = "${tenantml.rules.pending-retrain-every:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        Batches.scheduled(LOG, "Pending retrains not looked for", this::startLeftPending);
    }

    /** Starts (or records why it could not start) every retrain left pending now; answers for how many models. */
    public int startLeftPending() throws SQLException {
        List<Left> left = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                // one row a model (its first pending rule's last run: a window run evaluates every rule of it)
                PreparedStatement ps = c.prepareStatement("select distinct on (s.tenant_id, s.model) s.tenant_id,"
                        + " s.model, cast(s.last_run as text) from monitoring_rule_state s join tenant t"
                        + " on t.id = s.tenant_id where s.retrain_pending and s.last_run is not null"
                        + " and t.status = 'active' order by s.tenant_id, s.model, s.position limit ?")) {
            ps.setInt(1, MOST);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    left.add(new Left(TenantId.of(rs.getString(1)), rs.getString(2), UUID.fromString(rs.getString(3))));
                }
            }
        }
        for (Left l : left) {
            try {
                // the run that decided it: the last one the rule's state remembers, which its firing names
                scope.run(l.tenant(), () -> evaluator.committed(l.model(), l.run()));
            } catch (RuntimeException e) {
                LOG.warnf(e, "pending retrains of model %s of tenant %s not started", l.model(), l.tenant());
            }
        }
        if (!left.isEmpty()) {
            LOG.infof("Looked at the pending retrains of %d models no node had started", left.size());
        }
        return left.size();
    }
}
