package io.tenantml.scheduling.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tenantml.scheduling.Run;
import io.tenantml.scheduling.RunContext;
import io.tenantml.scheduling.RunFailure;
import io.tenantml.scheduling.RunHandler;
import io.tenantml.scheduling.RunKind;
import io.tenantml.scheduling.RunLedger;
import io.tenantml.scheduling.RunStarted;
import io.tenantml.scheduling.RunState;
import io.tenantml.scheduling.RunsConfig;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.Texts;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Takes queued runs from the ledger and runs them, on every node. One dispatcher thread per node claims runs
 * while the node has free slots of a kind; each kind has its own worker threads, as many as its slots, so a run
 * never waits for a slot on a thread: it stays queued until some node has one. Quartz is not involved.
 *
 * <p>Only runs of active tenants are claimed (a leaving tenant's runs never start; see RunOffboarding).
 *
 * <p>Fair order: among the queued runs of a kind whose tenant is below its tenant slots, the claim takes the
 * tenant with the fewest runs of the kind running, then the one served least recently (oldest last start), then
 * its oldest run. Claims of a kind are serialised across the cluster by a transaction-scoped advisory lock, so
 * the tenant counts they read are exact; {@code FOR UPDATE SKIP LOCKED} skips a run that a cancellation has
 * locked instead of waiting for it.
 *
 * <p>Dead nodes: a node stamps {@code heartbeat_at} of its running runs every heartbeat interval. Any node finds
 * running runs whose stamp is older than {@code stale-after} and queues them again (attempt 1) or ends them
 * FAILED {@code interrupted} (attempt 2): a run is redone once. Writes that end or advance a run name the node and
 * attempt that claimed it, so a node taken for dead cannot overwrite what the next attempt does.
 */
@ApplicationScoped
public class RunDispatcher {

    private static final Logger LOG = Logger.getLogger(RunDispatcher.class);
    private static final int MAX_MESSAGE = 1000;

    /** Taken with a kind's hash: one claim of a kind at a time in the cluster. */
    private static final String CLAIM = """
            update run set state = 'RUNNING', attempts = attempts + 1, node = ?, heartbeat_at = now(),
                started_at = ?, progress = 0, cancel_requested = false
            where id = (
                select r.id from run r
                where r.kind = ? and r.state = 'QUEUED'
                  and exists (select 1 from tenant t where t.id = r.tenant_id and t.status = 'active')
                  and (select count(*) from run x
                       where x.kind = r.kind and x.tenant_id = r.tenant_id and x.state = 'RUNNING') < ?
                order by (select count(*) from run x
                          where x.kind = r.kind and x.tenant_id = r.tenant_id and x.state = 'RUNNING'),
                         (select max(x.started_at) from run x
                          where x.kind = r.kind and x.tenant_id = r.tenant_id) nulls first,
                         r.created_at, r.id
                limit 1
                for update of r skip locked)
            returning id, tenant_id, subject, attempts, progress, created_at, started_at
            """;

    private static final String SWEEP = """
            update run set
                state = case when attempts >= 2 then 'FAILED' else 'QUEUED' end,
                finished_at = case when attempts >= 2 then ? end,
                error_code = case when attempts >= 2 then 'interrupted' end,
                error_message = case when attempts >= 2 then ? end,
                node = null, heartbeat_at = null
            where id in (
                select id from run where state = 'RUNNING' and heartbeat_at < now() - make_interval(secs => ?)
                for update skip locked)
            returning id, tenant_id, kind, state, attempts
            """;

    private static final String COMPLETE = """
            update run set state = ?, finished_at = ?, error_code = ?, error_message = ?, incident = ?,
                progress = case when ? then 1 else progress end, node = null, heartbeat_at = null
            where id = ? and tenant_id = ? and node = ? and attempts = ? and state = 'RUNNING'
            """;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Instance<RunHandler> handlers;

    @Inject
    RunsConfig config;

    @Inject
    TenantScope scope;

    @Inject
    Event<RunStarted> started;

    @Inject
    ClusterEvents events;

    @Inject
    Clock clock;

    private final String node = nodeName();
    private final Map<RunKind, Kind> kinds = new EnumMap<>(RunKind.class);
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean stopping;
    private Thread loop;

    private record Kind(RunKind kind, RunHandler handler, int slots, AtomicInteger busy, ExecutorService workers) {}

    void start(@Observes StartupEvent event) {
        for (RunHandler handler : handlers) {
            RunKind kind = handler.kind();
            if (kinds.containsKey(kind)) {
                throw new IllegalStateException("two run handlers for " + kind);
            }
            int slots = nodeSlots(kind);
            AtomicInteger threads = new AtomicInteger();
            ExecutorService workers = Executors.newFixedThreadPool(
                    Math.max(1, slots),
                    r -> Thread.ofPlatform()
                            .name("run-" + kind.configKey() + "-" + threads.incrementAndGet())
                            .daemon()
                            .unstarted(r));
            kinds.put(kind, new Kind(kind, handler, slots, new AtomicInteger(), workers));
        }
        events.subscribe(RunLedger.QUEUED_TOPIC, payload -> wake());
        loop = Thread.ofPlatform().name("run-dispatcher").daemon().start(this::loop);
        LOG.infof("run dispatcher on node %s: slots %s", node, slotsText());
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        wake();
        try {
            if (loop != null) {
                loop.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kinds.values().forEach(k -> k.workers().shutdownNow());
        // a planned stop is not a failure: what this node was running goes back to the queue uncounted
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update run set state = 'QUEUED', node = null, "
                        + "heartbeat_at = null, attempts = attempts - 1 where node = ? and state = 'RUNNING'")) {
            ps.setString(1, node);
            int requeued = ps.executeUpdate();
            if (requeued > 0) {
                LOG.infof("node %s stopping: %d running runs queued again", node, requeued);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf(
                    "node %s stopping: its running runs could not be queued again (they will be once stale): %s",
                    node, e.getMessage());
        }
    }

    /** Looks for work now rather than at the next poll. */
    public void wake() {
        wake.release();
    }

    private void loop() {
        long lastBeat = 0;
        while (!stopping) {
            try {
                long now = System.nanoTime();
                if (now - lastBeat >= config.heartbeatInterval().toNanos()) {
                    heartbeat();
                    sweep();
                    lastBeat = now;
                }
                dispatch();
            } catch (Exception e) {
                LOG.warnf(e, "run dispatcher pass failed; retrying at the next poll");
            }
            try {
                wake.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void dispatch() {
        for (Kind kind : kinds.values()) {
            while (!stopping && kind.busy().get() < kind.slots()) {
                Optional<Run> claimed = claim(kind.kind());
                if (claimed.isEmpty()) {
                    break;
                }
                kind.busy().incrementAndGet();
                try {
                    kind.workers().execute(() -> execute(kind, claimed.get()));
                } catch (RuntimeException e) {
                    // shutting down: the stop handler queues the run again
                    kind.busy().decrementAndGet();
                    return;
                }
            }
        }
    }

    private Optional<Run> claim(RunKind kind) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "tenantml-run-claim:" + kind.name());
                    lock.execute();
                }
                try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                    ps.setString(1, node);
                    ps.setObject(2, now());
                    ps.setString(3, kind.name());
                    ps.setInt(4, tenantSlots(kind));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.<Run>empty();
                        }
                        return Optional.of(new Run(
                                rs.getObject("id", UUID.class),
                                rs.getString("tenant_id"),
                                kind,
                                rs.getString("subject"),
                                RunState.RUNNING,
                                rs.getInt("attempts"),
                                rs.getDouble("progress"),
                                false,
                                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                                rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                                null,
                                null,
                                null));
                    }
                }
            }
        });
    }

    private void execute(Kind kind, Run run) {
        Context context = new Context(run);
        try {
            if (run.attempts() > 1) {
                LOG.infof(
                        "redoing run %s (%s of tenant %s, %s): attempt %d",
                        run.id(), run.kind(), run.tenant(), run.subject(), run.attempts());
            }
            scope.callChecked(context.tenant(), () -> {
                started.fire(new RunStarted(run));
                kind.handler().run(context);
                return null;
            });
            if (!context.succeeded) {
                complete(context, RunState.SUCCEEDED, null, null, null);
            }
        } catch (Throwable t) {
            Throwable cause = t;
            while (!(cause instanceof RunFailure || cause instanceof CancellationException)
                    && cause.getCause() != null
                    && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            if (cause instanceof CancellationException) {
                complete(context, RunState.CANCELLED, "cancelled", "cancelled while running", null);
            } else if (cause instanceof RunFailure failure) {
                if (failure.getCause() != null) {
                    LOG.infof(
                            failure.getCause(),
                            "run %s of tenant %s failed: %s",
                            run.id(),
                            run.tenant(),
                            failure.code());
                }
                fail(kind, context, failure.code(), failure.getMessage(), null);
            } else {
                String incident =
                        HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
                LOG.errorf(
                        t,
                        "run %s (%s of tenant %s, %s, attempt %d) failed; incident %s",
                        run.id(),
                        run.kind(),
                        run.tenant(),
                        run.subject(),
                        run.attempts(),
                        incident);
                fail(
                        kind,
                        context,
                        "internal-error",
                        "the run failed on an unexpected error; the platform's operators can find it under incident "
                                + incident,
                        incident);
            }
        } finally {
            kind.busy().decrementAndGet();
            wake();
        }
    }

    /**
     * Ends the run FAILED together with what its handler writes on failure ({@link RunHandler#failed}), in one
     * transaction in the run's tenant scope. When the handler's writes fail, the failure is still recorded.
     */
    private void fail(Kind kind, Context context, String code, String message, String incident) {
        Run run = context.run;
        try {
            int ended = scope.call(
                    context.tenant(),
                    () -> QuarkusTransaction.requiringNew().call(() -> {
                        kind.handler().failed(context, code, message);
                        int n = completeStatement(context, RunState.FAILED, code, message, incident);
                        if (n == 0) {
                            // not ours any more: the handler's writes go back with it
                            QuarkusTransaction.setRollbackOnly();
                        }
                        return n;
                    }));
            if (ended == 0) {
                LOG.warnf(
                        "run %s attempt %d ended FAILED, but this node no longer owns it: outcome dropped",
                        run.id(), run.attempts());
            }
        } catch (RuntimeException e) {
            LOG.errorf(
                    e, "run %s failed; its handler's failure writes did not commit, recording FAILED alone", run.id());
            complete(context, RunState.FAILED, code, message, incident);
        }
    }

    private void complete(Context context, RunState state, String code, String message, String incident) {
        Run run = context.run;
        try {
            if (completeStatement(context, state, code, message, incident) == 0) {
                LOG.warnf(
                        "run %s attempt %d ended %s, but this node no longer owns it (taken as dead, cancelled "
                                + "or its tenant left): outcome dropped",
                        run.id(), run.attempts(), state);
            }
        } catch (SQLException e) {
            // the run stays RUNNING under this node; if the node stops before a later write, it is redone
            LOG.errorf(e, "run %s ended %s but the ledger could not record it", run.id(), state);
        }
    }

    /** Ends the run if this node and attempt still own it, in the current transaction if there is one. */
    private int completeStatement(Context context, RunState state, String code, String message, String incident)
            throws SQLException {
        Run run = context.run;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COMPLETE)) {
            ps.setString(1, state.name());
            ps.setObject(2, now());
            ps.setString(3, code);
            ps.setString(4, message == null ? null : Texts.cut(message, MAX_MESSAGE));
            ps.setString(5, incident);
            ps.setBoolean(6, state == RunState.SUCCEEDED);
            ps.setObject(7, run.id());
            ps.setString(8, run.tenant());
            ps.setString(9, node);
            ps.setInt(10, run.attempts());
            return ps.executeUpdate();
        }
    }

    private void heartbeat() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "update run set heartbeat_at = now() where node = ? and state = 'RUNNING'")) {
            ps.setString(1, node);
            ps.executeUpdate();
        }
    }

    private void sweep() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SWEEP)) {
            ps.setObject(1, now());
            ps.setString(2, "the run was interrupted twice (the node running it stopped) and is not tried again");
            ps.setDouble(3, config.staleAfter().toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                boolean any = false;
                while (rs.next()) {
                    any = true;
                    LOG.warnf(
                            "run %s (%s of tenant %s) lost its node after attempt %d: now %s",
                            rs.getObject("id"),
                            rs.getString("kind"),
                            rs.getString("tenant_id"),
                            rs.getInt("attempts"),
                            rs.getString("state"));
                }
                if (any) {
                    wake();
                }
            }
        }
    }

    private String slotsText() {
        StringBuilder text = new StringBuilder();
        kinds.values()
                .forEach(k -> text.append(k.kind().configKey())
                        .append('=')
                        .append(k.slots())
                        .append(" (tenant ")
                        .append(tenantSlots(k.kind()))
                        .append(") "));
        return text.toString().trim();
    }

    private int nodeSlots(RunKind kind) {
        return config.nodeSlots().getOrDefault(kind.configKey(), config.defaultNodeSlots());
    }

    private int tenantSlots(RunKind kind) {
        return config.tenantSlots().getOrDefault(kind.configKey(), config.defaultTenantSlots());
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        String name = host + "/" + UUID.randomUUID().toString().substring(0, 8);
        return name.length() <= 100 ? name : name.substring(name.length() - 100);
    }

    /** The handler's view of its run; every write names this node and attempt. */
    private final class Context implements RunContext {
        private final Run run;
        private final TenantId tenant;
        private volatile boolean succeeded;

        Context(Run run) {
            this.run = run;
            this.tenant = new TenantId(run.tenant());
        }

        @Override
        public UUID id() {
            return run.id();
        }

        @Override
        public TenantId tenant() {
            return tenant;
        }

        @Override
        public String subject() {
            return run.subject();
        }

        @Override
        public int attempt() {
            return run.attempts();
        }

        @Override
        public void progress(double fraction) {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("update run set progress = ? where id = ? and "
                            + "tenant_id = ? and node = ? and attempts = ? and state = 'RUNNING'")) {
                ps.setDouble(1, Math.max(0, Math.min(1, fraction)));
                ps.setObject(2, run.id());
                ps.setString(3, run.tenant());
                ps.setString(4, node);
                ps.setInt(5, run.attempts());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("progress of run " + run.id() + " could not be recorded", e);
            }
        }

        @Override
        public void succeed(Runnable results) {
            QuarkusTransaction.requiringNew().run(() -> {
                results.run();
                int ended;
                try {
                    ended = completeStatement(this, RunState.SUCCEEDED, null, null, null);
                } catch (SQLException e) {
                    throw new IllegalStateException("run " + run.id() + " could not be recorded as succeeded", e);
                }
                if (ended == 0) {
                    // rolls the results back with it: another attempt owns the run now
                    throw new CancellationException("run " + run.id() + " is no longer owned by this node");
                }
            });
            succeeded = true;
        }

        @Override
        public boolean cancelled() {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("select r.cancel_requested, r.state = 'RUNNING' "
                            + "and r.node = ? and r.attempts = ? as owned, t.status = 'active' as tenant_active "
                            + "from run r join tenant t on t.id = r.tenant_id where r.id = ? and r.tenant_id = ?")) {
                ps.setString(1, node);
                ps.setInt(2, run.attempts());
                ps.setObject(3, run.id());
                ps.setString(4, run.tenant());
                try (ResultSet rs = ps.executeQuery()) {
                    // A leaving tenant's run stops at its next checkpoint even before the offboarding asks it to.
                    return !rs.next()
                            || rs.getBoolean("cancel_requested")
                            || !rs.getBoolean("owned")
                            || !rs.getBoolean("tenant_active");
                }
            } catch (SQLException e) {
                throw new IllegalStateException("run " + run.id() + " could not be read", e);
            }
        }
    }
}
