package io.tenantml.monitoring;

import io.agroal.api.AgroalDataSource;
import io.tenantml.model.Metrics;
import io.tenantml.model.Objective;
import io.tenantml.model.TargetEncoding;
import io.tenantml.monitoring.internal.PredictionRecordCodec;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.registry.ModelVersionView;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Realised performance of a model version over a time range: feedback labels joined to the logged
 * predictions they answer (by prediction id), scored with the training's own metrics ({@link Metrics}: the
 * same figures as the version's validation metrics), each with a percentile bootstrap interval
 * ({@link #RESAMPLES} resamples at {@link #CONFIDENCE}, seeded by the version's training seed, so the same
 * labels always give the same interval). For classifiers the same assessment carries CBPE's estimate from the
 * logged scores alone ({@link Cbpe}), so the estimate can be read beside the realised figure once labels arrive.
 *
 * <p>A prediction belongs to the range by its prediction time, whenever its label was observed. Labels are read
 * as {@link TargetEncoding#feedbackLabel} reads them; a label naming no class of the model is counted apart.
 * Every statement names the tenant from {@link TenantContext}.
 */
@ApplicationScoped
public class RealisedPerformance {

    public static final int RESAMPLES = 200;
    public static final double CONFIDENCE = 0.95;
    public static final String INTERVAL_METHOD = "percentile bootstrap over the labelled predictions, " + RESAMPLES
            + " resamples, seeded by the training's seed";

    // The join is done here, not by the planner: the log has only BRIN indexes (by time, and by id, which is
    // time-ordered), and on fresh, unanalysed partitions PostgreSQL chose to scan the log once per feedback row.
    // The model's labels are read by their index, their prediction ids bound the log's pages through the BRIN index
    // on id, and a model without feedback (most of them) reads no log at all.
    private static final String LABELS =
            "select prediction_id, label, value from prediction_feedback where tenant_id = ? and model = ?"
                    // a label is received after its prediction: none received before the period answers one in it
                    + " and received_at >= ?";
    private static final String LOGGED = "select id, record from prediction_log where tenant_id = ? and model = ?"
            + " and version = ? and predicted_at >= ? and predicted_at < ? and id between ? and ?";

    private record Label(String label, Double value) {}

    @Inject
    TenantContext tenantContext;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ModelRegistry registry;

    @Inject
    ReferenceProfiles references;

    @Inject
    PredictionLogReader log;

    @Inject
    MonitoringConfig config;

    @Inject
    ClusterEvents cluster;

    @Inject
    ClusterConfig clusterConfig;

    /** Keys carry the tenant: two tenants' models of the same name never share an estimator. */
    private record VersionKey(String tenant, String model, int version) {}

    private InvalidatedCache<VersionKey, Cbpe> estimators;
    private final AtomicLong fits = new AtomicLong();
    private final AtomicLong assessments = new AtomicLong();

    @PostConstruct
    void init() {
        estimators = new InvalidatedCache<>(
                cluster, clusterConfig, config.performance().estimatorCacheEntries());
        // A deleted model's versions (and an offboarded tenant's) can no longer be assessed; a model created
        // again under the same name has new version 1, 2, ... that must not meet the old estimators.
        cluster.subscribe(ModelRegistry.MODEL_DELETED, payload -> {
            int slash = payload.indexOf('/');
            String tenant = payload.substring(0, slash);
            String model = payload.substring(slash + 1);
            estimators.invalidateKeysIf(
                    k -> k.tenant().equals(tenant) && k.model().equals(model));
        });
        cluster.subscribe(
                TenantService.TENANT_DELETED,
                tenant -> estimators.invalidateKeysIf(k -> k.tenant().equals(tenant)));
    }

    /** Estimators fitted since start (the cache's misses; for tests). */
    long fits() {
        return fits.get();
    }

    /**
     * Assessments since start, each a join of a range's feedback to its log rows and a read of its scores (for
     * tests: a monitoring series of any signal but performance makes none).
     */
    long assessments() {
        return assessments.get();
    }

    /** Whether a version's estimator is in memory now (for tests). */
    boolean hasEstimator(String tenant, String model, int version) {
        return estimators.getIfPresent(new VersionKey(tenant, model, version)) != null;
    }

    /**
     * Assesses {@code model} version {@code version} on its predictions in [{@code from}, {@code to}).
     *
     * @throws ProblemException 404 for an unknown model or version, 400 for an empty or reversed range
     */
    public PerformanceAssessment assess(String model, int version, Instant from, Instant to) {
        return assess(model, version, from, to, references.find(model, version));
    }

    /**
     * As {@link #assess(String, int, Instant, Instant)}, with the version's reference profile already read (a
     * page of windows reads it once per version). CBPE's estimator is fitted once per version and cached.
     */
    PerformanceAssessment assess(
            String model, int version, Instant from, Instant to, Optional<ReferenceProfile> referenceProfile) {
        Objects.requireNonNull(model, "model");
        requireRange(from, to);
        assessments.incrementAndGet();
        ModelVersionView v = registry.version(model, version);
        Objective objective = v.objective();
        ReferenceProfile reference = referenceProfile.orElse(null);
        PerformanceAssessment.Realised realised = realised(model, version, v.target(), v.seed(), from, to);

        EstimatedPerformance estimated = null;
        List<float[]> scored = new ArrayList<>();
        long[] scoredCount = {0};
        boolean estimable = objective != Objective.REGRESSION
                && reference != null
                && reference.validationSample() != null
                && reference.validationSample().rows() >= 2;
        log.read(model, version, from, to, r -> {
            if (r.scored()) {
                scoredCount[0]++;
                if (estimable) {
                    scored.add(r.outputs());
                }
            }
        });
        if (estimable) {
            Cbpe cbpe = estimators.get(new VersionKey(tenantContext.require().value(), model, version), k -> {
                fits.incrementAndGet();
                return Cbpe.fit(
                        objective,
                        reference.validation().outputNames(),
                        reference.validationSample(),
                        reference.provenance().seed());
            });
            estimated = cbpe.estimate(scored);
        }
        return new PerformanceAssessment(
                model,
                version,
                objective,
                from,
                to,
                scoredCount[0],
                realised,
                estimated,
                reference == null ? Map.of() : reference.metrics());
    }

    /**
     * Only the realised part of {@link #assess(String, int, Instant, Instant)}: the same labels, metrics and
     * intervals, without CBPE's estimate, so without reading every scored prediction of the range or fitting an
     * estimator (a report over many models and a long period needs the labelled predictions alone).
     *
     * @throws ProblemException 404 for an unknown model or version, 400 for an empty or reversed range
     */
    public PerformanceAssessment.Realised realised(String model, int version, Instant from, Instant to) {
        Objects.requireNonNull(model, "model");
        requireRange(from, to);
        assessments.incrementAndGet();
        ModelVersionView v = registry.version(model, version);
        return realised(model, version, v.target(), v.seed(), from, to);
    }

    private static void requireRange(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw ProblemException.badRequest(
                    "invalid-time-range", "from (" + from + ") must be before to (" + to + ")");
        }
    }

    private PerformanceAssessment.Realised realised(
            String model, int version, TargetEncoding target, long seed, Instant from, Instant to) {
        TenantId tenant = tenantContext.require();
        List<Float> labels = new ArrayList<>();
        List<float[]> outputs = new ArrayList<>();
        long unusable = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement byModel = c.prepareStatement(LABELS);
                PreparedStatement logged = c.prepareStatement(LOGGED)) {
            Map<UUID, Label> given = new java.util.HashMap<>();
            UUID first = null;
            UUID last = null;
            byModel.setString(1, tenant.value());
            byModel.setString(2, model);
            byModel.setObject(3, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
            try (ResultSet rs = byModel.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    String label = rs.getString(2);
                    // wasNull speaks of the column read last: read it right after the value
                    double number = rs.getDouble(3);
                    given.put(id, new Label(label, rs.wasNull() ? null : number));
                    first = first == null || id.compareTo(first) < 0 ? id : first;
                    last = last == null || id.compareTo(last) > 0 ? id : last;
                }
            }
            if (given.isEmpty()) {
                return new PerformanceAssessment.Realised(0, 0, Map.of(), INTERVAL_METHOD);
            }
            logged.setString(1, tenant.value());
            logged.setString(2, model);
            logged.setInt(3, version);
            logged.setLong(4, from.toEpochMilli());
            logged.setLong(5, to.toEpochMilli());
            logged.setObject(6, first);
            logged.setObject(7, last);
            try (ResultSet rs = logged.executeQuery()) {
                while (rs.next()) {
                    Label answer = given.get(rs.getObject(1, UUID.class));
                    if (answer == null) {
                        continue;
                    }
                    PredictionRecordCodec.Payload p = PredictionRecordCodec.decode(rs.getBytes(2));
                    if (p.outputs().length == 0) {
                        continue; // a refused record was not scored: nothing to assess
                    }
                    Float label = target.feedbackLabel(answer.label(), answer.value());
                    if (label == null) {
                        unusable++;
                        continue;
                    }
                    labels.add(label);
                    outputs.add(p.outputs());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("feedback could not be joined to the log: " + e.getMessage(), e);
        }
        if (labels.isEmpty()) {
            return new PerformanceAssessment.Realised(0, unusable, Map.of(), INTERVAL_METHOD);
        }
        float[] l = new float[labels.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels.get(i);
        }
        Map<String, Metrics.Interval> metrics =
                Metrics.bootstrap(target.objective(), l, outputs.toArray(float[][]::new), RESAMPLES, CONFIDENCE, seed);
        return new PerformanceAssessment.Realised(l.length, unusable, metrics, INTERVAL_METHOD);
    }
}
