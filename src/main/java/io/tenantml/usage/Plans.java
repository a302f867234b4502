package io.tenantml.usage;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.tenancy.TenantService;
import io.tenantml.usage.internal.PlanEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenants' plans. Every plan is held in memory (one small record per tenant, 10,000 tenants are a few MB), so a
 * limit is read on the I/O thread without a query; a change is published to every node ({@code plan-changed}),
 * and a resync of the cluster channel reloads them all.
 */
@ApplicationScoped
public class Plans {

    static final String PLAN_CHANGED = "plan-changed";

    @Inject
    UsageConfig config;

    @Inject
    ClusterEvents cluster;

    @Inject
    io.tenantml.shared.database.NameLocks nameLocks;

    @Inject
    javax.sql.DataSource dataSource;

    @Inject
    TenantService tenants;

    @Inject
    Clock clock;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    private final Map<String, PlanLimits> plans = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent event) {
        cluster.subscribe(PLAN_CHANGED, this::changed);
        cluster.subscribe(TenantService.TENANT_DELETED, plans::remove);
        cluster.onResync(this::reloadAll);
        reloadAll();
    }

    /** The tenant's plan: its own limits and those in force. */
    public Plan plan(TenantId tenant) {
        PlanLimits own = plans.getOrDefault(tenant.value(), PlanLimits.none());
        return new Plan(own, own.over(defaults()));
    }

    /** The limits in force for the tenant (from memory). */
    public PlanLimits limits(TenantId tenant) {
        return plans.getOrDefault(tenant.value(), PlanLimits.none()).over(defaults());
    }

    /** Sets the tenant's plan (operators; the caller checks the role). */
    public Plan set(TenantId tenant, PlanLimits limits, String actor) {
        validate(limits);
        QuarkusTransaction.requiringNew().run(() -> {
            // two operators setting a tenant's first plan at once: the second waits, then updates it
            nameLocks.lock("plan", tenant, "");
            PlanEntity e = PlanEntity.findById(tenant.value());
            if (e == null) {
                e = new PlanEntity();
                e.tenantId = tenant.value();
                e.limits = write(limits);
                e.updatedAt = clock.instant();
                e.updatedBy = actor;
                e.persist();
            } else {
                e.limits = write(limits);
                e.updatedAt = clock.instant();
                e.updatedBy = actor;
            }
            cluster.publish(PLAN_CHANGED, tenant.value() + " " + write(limits));
        });
        plans.put(tenant.value(), limits);
        return plan(tenant);
    }

    /**
     * The highest per-second rate a plan may set: the token buckets refill at most one token a nanosecond, and
     * a plan that means "no limit" leaves the rate out.
     */
    static final long MAX_REQUESTS_PER_SECOND = 1_000_000;

    private static void validate(PlanLimits l) {
        for (Limit limit : Limit.values()) {
            Long v = limit.of(l);
            if (v != null && v < 0) {
                throw invalidPlan(limit, limit.wireName() + " must be 0 or more, got " + v);
            }
        }
        for (Limit rate : List.of(Limit.PREDICT_REQUESTS_PER_SECOND, Limit.RECOMMEND_REQUESTS_PER_SECOND)) {
            Long v = rate.of(l);
            if (v != null && v > MAX_REQUESTS_PER_SECOND) {
                throw invalidPlan(
                        rate,
                        rate.wireName() + " must be at most " + MAX_REQUESTS_PER_SECOND
                                + " (leave it out for no limit), got " + v);
            }
        }
    }

    private static ProblemException invalidPlan(Limit limit, String detail) {
        return ProblemException.badField("invalid-plan", limit.wireName(), detail);
    }

    PlanLimits defaults() {
        UsageConfig.Defaults d = config.defaults();
        return new PlanLimits(
                d.storedBytes().orElse(null),
                d.rowsPerDatasetVersion().orElse(null),
                d.datasets().orElse(null),
                d.models().orElse(null),
                null,
                d.trainingsPerDay().orElse(null),
                d.concurrentJobs().orElse(null),
                d.minScheduleInterval().toSeconds(),
                null,
                d.concurrentUploads().orElse(null),
                d.predictRequestsPerSecond().orElse(null),
                d.recommendRequestsPerSecond().orElse(null),
                d.predictBodyBytes());
    }

    /** The payload carries the limits, so no node reads the database in the notification's thread. */
    private void changed(String payload) {
        int space = payload.indexOf(' ');
        try {
            plans.put(payload.substring(0, space), read(payload.substring(space + 1)));
        } catch (RuntimeException e) {
            throw new IllegalStateException("unreadable plan change: " + payload, e);
        }
    }

    private PlanLimits read(String text) {
        try {
            return json.readValue(text, PlanLimits.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable plan: " + text, e);
        }
    }

    private String write(PlanLimits limits) {
        try {
            return json.writeValueAsString(limits);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads every tenant's plan with plain JDBC: it runs at start-up and on the cluster listener's thread after a
     * reconnect, where no tenant is in scope and a tenant-filtered Hibernate session cannot be opened.
     */
    private void reloadAll() {
        Map<String, PlanLimits> all = new ConcurrentHashMap<>();
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("select tenant_id, limits from tenant_plan")) {
            while (rs.next()) {
                all.put(rs.getString(1), read(rs.getString(2)));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("plans could not be read", e);
        }
        plans.keySet().retainAll(all.keySet());
        plans.putAll(all);
    }
}
