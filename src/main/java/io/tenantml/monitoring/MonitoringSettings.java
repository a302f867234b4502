package io.tenantml.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.tenantml.registry.ModelDeleted;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.shared.JsonBodies;
import io.tenantml.shared.ProblemException;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The current tenant's monitoring settings per model: the thresholds of its {@link DriftRule}, used by every
 * judgement of its windows (the latest, the history, the window run's record, gauges and rules) and by its
 * batch drift checks. A model that set none is judged with {@link DriftRuleSettings#defaults()}.
 * <p>
 * Read from the database at each judgement (one primary-key row; windows are judged when read, and a page of
 * windows reads it once), so a change applies on every node from the next read, with no cache to invalidate.
 */
@ApplicationScoped
public class MonitoringSettings {

    private static final Logger LOG = Logger.getLogger(MonitoringSettings.class);

    /** Largest {@code exactKsMaxProduct} a tenant may set: the exact KS count then takes tens of milliseconds. */
    public static final long MAX_EXACT_KS_PRODUCT = 10_000_000L;

    /** Largest {@code psiBins}: PSI over more bins than this is noise on any window a model gets. */
    public static final int MAX_PSI_BINS = 100;

    /** Largest {@code discreteNumericMaxValues}: beyond it χ² over the values is no better than KS. */
    public static final int MAX_DISCRETE_NUMERIC_VALUES = 100;

    /** The body of {@code PUT .../monitoring/settings}. */
    public record Request(DriftThresholds drift) {}

    /** Stored rows are read leniently: a key a later release dropped is ignored, one it added takes its default. */
    private static final ObjectMapper STORED =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Inject
    TenantContext tenantContext;

    @Inject
    ModelRegistry registry;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** @throws ProblemException 404 when the model has no version */
    public MonitoringSettingsView get(String model) {
        requireModel(model);
        Stored stored = stored(model);
        return new MonitoringSettingsView(
                model,
                stored == null ? DriftRuleSettings.defaults() : stored.drift,
                DriftRuleSettings.defaults(),
                stored == null ? null : stored.updatedAt);
    }

    /**
     * Replaces the model's settings: each threshold given is set, each one left out takes its default (so
     * {@code {}} returns the model to the defaults).
     *
     * @throws ProblemException 400 naming the field ({@code drift.psiBins}) of the first invalid threshold, or of
     *     a body that is not an object of known fields; 404 when the model has no version
     */
    @Transactional
    public MonitoringSettingsView put(String model, JsonNode body) {
        requireModel(model);
        Request request =
                JsonBodies.read(json, body, Request.class, "monitoring settings", MonitoringSettings::invalid);
        DriftThresholds given = request.drift() == null ? DriftThresholds.NONE : request.drift();
        DriftRuleSettings drift;
        try {
            drift = given.over(DriftRuleSettings.defaults());
        } catch (DriftRuleSettings.InvalidSetting e) {
            throw invalid("drift." + e.field(), e.getMessage());
        }
        limit("exactKsMaxProduct", drift.exactKsMaxProduct(), MAX_EXACT_KS_PRODUCT);
        limit("psiBins", drift.psiBins(), MAX_PSI_BINS);
        limit("discreteNumericMaxValues", drift.discreteNumericMaxValues(), MAX_DISCRETE_NUMERIC_VALUES);
        Instant now = clock.instant();
        em.createNativeQuery("insert into monitoring_settings (tenant_id, model, drift, updated_at) "
                        + "values (:tenant, :model, cast(:drift as jsonb), :now) on conflict (tenant_id, model) do "
                        + "update set drift = excluded.drift, updated_at = excluded.updated_at")
                .setParameter("tenant", tenantContext.require().value())
                .setParameter("model", model)
                .setParameter("drift", write(drift))
                .setParameter("now", now)
                .executeUpdate();
        // the tenant is in the line's MDC (TenantContext)
        LOG.infof("monitoring settings of model %s set: %s", model, drift);
        return new MonitoringSettingsView(model, drift, DriftRuleSettings.defaults(), now);
    }

    /** The thresholds the model is judged with now: its own, else the defaults. */
    public DriftRuleSettings drift(String model) {
        Stored stored = stored(model);
        return stored == null ? DriftRuleSettings.defaults() : stored.drift;
    }

    /** The model's drift rule (see {@link #drift}). */
    public DriftRule rule(String model) {
        return new DriftRule(drift(model));
    }

    /** A deleted model's settings go with it, in the deleting transaction. */
    void modelDeleted(@Observes ModelDeleted deleted) {
        em.createNativeQuery("delete from monitoring_settings where tenant_id = :tenant and model = :model")
                .setParameter("tenant", deleted.tenant().value())
                .setParameter("model", deleted.model())
                .executeUpdate();
    }

    private record Stored(DriftRuleSettings drift, Instant updatedAt) {}

    private Stored stored(String model) {
        String tenant = tenantContext.require().value();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select cast(drift as text), updated_at "
                        + "from monitoring_settings where tenant_id = ? and model = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, model);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Timestamp at = rs.getTimestamp(2);
                return new Stored(
                        STORED.readValue(rs.getString(1), DriftThresholds.class).over(DriftRuleSettings.defaults()),
                        at == null ? null : at.toInstant());
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(
                    "monitoring settings of model '" + model + "' could not be read: " + e.getMessage(), e);
        }
    }

    private String write(DriftRuleSettings drift) {
        try {
            return json.writeValueAsString(drift);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("monitoring settings could not be written as JSON", e);
        }
    }

    private void requireModel(String model) {
        if (!registry.hasVersions(model)) {
            throw ProblemException.notFound("model '" + model + "' has no version to monitor");
        }
    }

    private static void limit(String field, long value, long max) {
        if (value > max) {
            throw invalid("drift." + field, field + " must be at most " + max + ", was " + value);
        }
    }

    static ProblemException invalid(String field, String detail) {
        return ProblemException.badField("invalid-monitoring-settings", field, detail);
    }
}
