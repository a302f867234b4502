package io.tenantml.monitoring;

import io.agroal.api.AgroalDataSource;
import io.tenantml.monitoring.internal.LogPartitions;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.cluster.ClusterConfig;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.shared.cluster.InvalidatedCache;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.tenancy.TenantService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;

/**
 * How much of the prediction log a tenant keeps (retention, per tenant) and how much of a model's traffic
 * it logs (sampling, per model). The writer reads both for every record, from caches invalidated through
 * {@link ClusterEvents} when a setting changes on any node.
 * <p>
 * Sampling is one prediction in N, N = round(1 / rate), chosen by the prediction id's random bits, so the
 * effective rate is exactly 1/N and every record carries its N (a window states the rate it was sampled at).
 */
@ApplicationScoped
public class LogSettings {

    static final String RETENTION_CHANGED = "prediction-log-retention";
    static final String SAMPLING_CHANGED = "prediction-log-sampling";

    /** A tenant's retention of its prediction log. */
    public record Retention(int retentionDays, int retentionClassDays) {}

    /** A model's sampling of its traffic: the rate asked for, and the one applied (one in {@code sampledEvery}). */
    public record Sampling(double sampleRate, int sampledEvery, double effectiveSampleRate) {}

    private record ModelRef(String tenant, String model) {}

    @Inject
    TenantContext tenantContext;

    @Inject
    MonitoringConfig config;

    @Inject
    LogPartitions partitions;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EntityManager em;

    @Inject
    ClusterEvents cluster;

    @Inject
    ClusterConfig clusterConfig;

    @Inject
    Clock clock;

    private InvalidatedCache<String, Integer> retention;
    private InvalidatedCache<ModelRef, Double> sampling;

    @PostConstruct
    void init() {
        retention = new InvalidatedCache<>(cluster, clusterConfig);
        sampling = new InvalidatedCache<>(cluster, clusterConfig);
        cluster.subscribe(RETENTION_CHANGED, retention::invalidate);
        cluster.subscribe(SAMPLING_CHANGED, payload -> {
            int slash = payload.indexOf('/');
            sampling.invalidate(new ModelRef(payload.substring(0, slash), payload.substring(slash + 1)));
        });
        cluster.subscribe(TenantService.TENANT_DELETED, tenant -> {
            retention.invalidate(tenant);
            sampling.invalidateKeysIf(k -> k.tenant().equals(tenant));
        });
    }

    /** The current tenant's retention. */
    public Retention retention() {
        int days = retentionDays(tenantContext.require());
        return new Retention(days, partitions.classFor(days));
    }

    /**
     * Sets the current tenant's retention; records written from now on go to its class. Records already
     * written stay in the class they were written to and are dropped by that class's rule.
     *
     * @throws ProblemException 400 when {@code days} is not between 1 and the largest retention class
     */
    @Transactional
    public Retention setRetention(Integer days) {
        TenantId tenant = tenantContext.require();
        int largest = partitions.largestClass();
        if (days == null || days < 1 || days > largest) {
            throw new ProblemException(Problem.of(
                            400,
                            "invalid-retention",
                            "Bad request",
                            "retentionDays must be a whole number of days from 1 to " + largest)
                    .with("field", "retentionDays")
                    .with("maximum", largest));
        }
        em.createNativeQuery("insert into prediction_log_retention (tenant_id, retention_days, updated_at) "
                        + "values (:tenant, :days, :now) on conflict (tenant_id) do update "
                        + "set retention_days = excluded.retention_days, updated_at = excluded.updated_at")
                .setParameter("tenant", tenant.value())
                .setParameter("days", days)
                .setParameter("now", clock.instant())
                .executeUpdate();
        cluster.publish(RETENTION_CHANGED, tenant.value());
        return new Retention(days, partitions.classFor(days));
    }

    static final int MAX_MODEL_NAME = 100;

    /** The current tenant's sampling of {@code model} (the default when it set none). */
    public Sampling sampling(String model) {
        return sampling(sampleRate(tenantContext.require(), model));
    }

    /**
     * Sets the share of {@code model}'s predictions that are logged, from now on.
     *
     * @throws ProblemException 400 when the rate is not in (0, 1]
     */
    @Transactional
    public Sampling setSampling(String model, Double rate) {
        TenantId tenant = tenantContext.require();
        if (model.length() > MAX_MODEL_NAME) {
            // no model can have it (model names are at most 100 characters), and the setting's key holds no more
            throw ProblemException.badParameter(
                    "invalid-model-name",
                    "model",
                    "model names are at most " + MAX_MODEL_NAME + " characters; this one has " + model.length());
        }
        if (rate == null || !(rate > 0 && rate <= 1)) {
            throw ProblemException.badField(
                    "invalid-sample-rate", "sampleRate", "sampleRate must be a number in (0, 1]");
        }
        em.createNativeQuery("insert into prediction_log_sampling (tenant_id, model, sample_rate, updated_at) "
                        + "values (:tenant, :model, :rate, :now) on conflict (tenant_id, model) do update "
                        + "set sample_rate = excluded.sample_rate, updated_at = excluded.updated_at")
                .setParameter("tenant", tenant.value())
                .setParameter("model", model)
                .setParameter("rate", rate)
                .setParameter("now", clock.instant())
                .executeUpdate();
        cluster.publish(SAMPLING_CHANGED, tenant.value() + "/" + model);
        return sampling(rate);
    }

    /** The retention in days of a tenant's log (for the writer, which runs outside any tenant scope). */
    public int retentionDays(TenantId tenant) {
        return retention.get(tenant.value(), t -> {
            Number days = (Number)
                    queryOne("select retention_days from prediction_log_retention where tenant_id = ?", t, null);
            return days == null ? config.log().retentionDays() : days.intValue();
        });
    }

    /** The retention class the writer files a tenant's records under. */
    public int retentionClass(TenantId tenant) {
        return partitions.classFor(retentionDays(tenant));
    }

    /** N of "one prediction in N" for a tenant's model (1: every prediction). */
    public int sampledEvery(TenantId tenant, String model) {
        return sampledEvery(sampleRate(tenant, model));
    }

    /**
     * N for a tenant's model if it is in memory now, else 0; never touches the database, so the request path
     * (an event-loop thread) can sample without blocking and leave an unknown model to the writer.
     */
    public int sampledEveryIfCached(TenantId tenant, String model) {
        Double rate = sampling.getIfPresent(new ModelRef(tenant.value(), model));
        return rate == null ? 0 : sampledEvery(rate);
    }

    /**
     * Whether a prediction with this id is in the one-in-{@code every} sample: its lowest 32 bits, which are
     * random ({@link io.tenantml.shared.TimeOrderedIds}; the bits above them count within a millisecond).
     */
    public static boolean sampled(java.util.UUID id, int every) {
        return every <= 1 || (id.getLeastSignificantBits() & 0xFFFF_FFFFL) % every == 0;
    }

    private double sampleRate(TenantId tenant, String model) {
        return sampling.get(new ModelRef(tenant.value(), model), ref -> {
            Number rate = (Number) queryOne(
                    "select sample_rate from prediction_log_sampling where tenant_id = ? and model = ?",
                    ref.tenant(),
                    ref.model());
            return rate == null ? config.log().sampleRate() : rate.doubleValue();
        });
    }

    private static Sampling sampling(double rate) {
        int every = sampledEvery(rate);
        return new Sampling(rate, every, 1.0 / every);
    }

    static int sampledEvery(double rate) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(1 / rate)));
    }

    private Object queryOne(String sql, String first, String second) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, first);
            if (second != null) {
                ps.setString(2, second);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("prediction log settings could not be read: " + e.getMessage(), e);
        }
    }
}
