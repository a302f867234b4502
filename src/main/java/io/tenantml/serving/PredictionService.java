package io.tenantml.serving;

import io.tenantml.registry.LoadedModel;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.serving.internal.ModelCache;
import io.tenantml.serving.internal.Scorer;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.tenancy.TenantId;
import io.tenantml.training.ModelSpecService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real-time prediction for the current tenant. The alias is resolved on every request (one indexed
 * query), and the cache is keyed by version, so a promotion or an alias move is used by the next request
 * without any invalidation; versions are immutable, so a cached version never goes stale.
 */
@ApplicationScoped
public class PredictionService {

    @Inject
    TenantContext tenantContext;
    @Inject
    ModelRegistry registry;
    @Inject
    ModelSpecService specs;
    @Inject
    LoadedModels models;
    @Inject
    PredictionLog log;
    @Inject
    ServingMetrics metrics;
    @Inject
    ServingConfig config;
    @Inject
    Clock clock;

    public PredictResponse predict(String model, PredictRequest request) {
        TenantId tenant = tenantContext.require();
        long started = System.nanoTime();
        try {
            List<Map<String, Object>> records = validate(request);
            int version = resolve(model, request.version(), request.alias());
            boolean explain = Boolean.TRUE.equals(request.explain());
            Scorer.Scored scored;
            String[] featureNames;
            try (ModelCache<ModelKey, LoadedModel>.Lease lease = models.acquire(model, version)) {
                scored = Scorer.score(lease.value(), records, explain);
                featureNames = lease.value().transform().featureNames();
            } catch (XGBoostError e) {
                throw new IllegalStateException("XGBoost failed to score model '" + model + "' version " + version, e);
            }
            Instant now = clock.instant();
            for (int i = 0; i < scored.predictions().size(); i++) {
                Prediction p = scored.predictions().get(i);
                log.record(new LoggedPrediction(p.id(), tenant, model, version, now, featureNames,
                        scored.encoded().get(i).features(), output(p)));
            }
            metrics.predicted(tenant.value(), model, records.size(), System.nanoTime() - started);
            return new PredictResponse(model, version, scored.predictions(), scored.warnings());
        } catch (RuntimeException e) {
            metrics.failed(tenant.value(), model);
            throw e;
        }
    }

    /**
     * The version a request names, or the one its alias (default production) points to now.
     *
     * @throws ProblemException 404 for a model the tenant does not have, 409 when the alias is not set yet
     */
    public int resolve(String model, Integer version, String alias) {
        if (version != null && alias != null) {
            throw ProblemException.badRequest("invalid-prediction-request", "give either version or alias, not both");
        }
        if (version != null) {
            return registry.version(model, version).version();
        }
        String name = alias == null ? ModelRegistry.PRODUCTION : alias;
        return registry.aliasVersion(model, name).orElseThrow(() -> {
            if (specs.spec(model).isEmpty() && registry.versions(model).isEmpty()) {
                return ProblemException.notFound("model '" + model + "' does not exist");
            }
            return new ProblemException(Problem.of(409, "no-version-for-alias", "Conflict",
                    "model '" + model + "' has no '" + name + "' version yet; train and promote one first")
                    .with("alias", name));
        });
    }

    private List<Map<String, Object>> validate(PredictRequest request) {
        if (request == null || request.records() == null || request.records().isEmpty()) {
            throw ProblemException.badRequest("invalid-prediction-request", "records must be a non-empty array of objects");
        }
        if (request.records().size() > config.maxRecords()) {
            throw new ProblemException(Problem.of(413, "too-many-records", "Content too large",
                    "a request may carry at most " + config.maxRecords() + " records, this one has "
                            + request.records().size()).with("maxRecords", config.maxRecords()));
        }
        return request.records();
    }

    /** What the caller got, as the log keeps it (without the explanation). */
    static Map<String, Object> output(Prediction p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("score", p.score());
        if (p.label() != null) {
            out.put("label", p.label());
        }
        if (p.probabilities() != null) {
            out.put("probabilities", p.probabilities());
        }
        return out;
    }
}
