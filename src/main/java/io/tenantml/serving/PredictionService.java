package io.tenantml.serving;

import io.tenantml.feature.EncodedRecord;
import io.tenantml.feature.ValueKind;
import io.tenantml.monitoring.LoggedPrediction;
import io.tenantml.monitoring.PredictionLog;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.registry.VersionRef;
import io.tenantml.serving.internal.Scorer;
import io.tenantml.serving.internal.TurnBatcher;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.TimeOrderedIds;
import io.tenantml.shared.cache.ModelCache;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.training.ModelSpecService;
import io.tenantml.usage.Meter;
import io.tenantml.usage.Meters;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Real-time prediction for the current tenant. The alias is read from the registry's in-memory alias cache,
 * which every alias change invalidates at its commit on this node and by a cluster notification on the others
 * ({@link ModelRegistry#aliasVersion}), so a promotion or an alias move is used by the next request. Loaded
 * models are cached by version, which is immutable, so a cached version never goes stale.
 */
@ApplicationScoped
public class PredictionService {

    /** The model tag of errors that happened before the model was found. */
    public static final String UNRESOLVED = "_unresolved";

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

    @Inject
    Meters usage;

    private TurnBatcher batcher;

    @PostConstruct
    void init() {
        batcher = new TurnBatcher((key, rows, requests) -> {
            ModelKey model = (ModelKey) key;
            metrics.batched(model.tenant().value(), model.model(), rows);
        });
    }

    /** Scores the records; may block (alias lookup, model load). */
    public PredictResponse predict(String model, PredictRequest request) {
        TenantId tenant = tenantContext.require();
        long started = System.nanoTime();
        // Until the model is known to exist, errors are tagged without its name: a path segment chosen by
        // the caller must not create meters.
        String modelTag = UNRESOLVED;
        try {
            List<Map<String, Object>> records = validate(request);
            VersionRef ref = resolveRef(model, request.version(), request.alias());
            int version = ref.version();
            modelTag = model;
            boolean explain = Boolean.TRUE.equals(request.explain());
            try (ModelCache<ModelKey, ServedModel>.Lease lease = models.acquire(model, ref)) {
                Scorer.Encoded encoded = encode(tenant, model, version, lease.value(), records);
                List<Prediction> predictions = Scorer.predict(lease.value(), encoded.data(), records.size(), explain);
                return respond(tenant, model, version, lease.value(), encoded, predictions, started);
            } catch (XGBoostError e) {
                throw new IllegalStateException("XGBoost failed to score model '" + model + "' version " + version, e);
            }
        } catch (RuntimeException e) {
            metrics.failed(tenant.value(), modelTag);
            throw e;
        }
    }

    /**
     * Scores the records if that needs no blocking call: a small request without explanations, the alias
     * known in memory and the version loaded. Plain predictions of one event-loop turn share an XGBoost call ({@link
     * TurnBatcher}). Empty when something may block; then {@link #predict} does it on a worker thread.
     *
     * @throws ProblemException 400 for invalid records, before anything is scored
     */
    public Optional<CompletionStage<PredictResponse>> predictWithoutBlocking(String model, PredictRequest request) {
        // Explanations need a DMatrix, whose construction runs an OpenMP region: not on an event loop.
        if (request == null
                || request.version() != null
                || request.records() == null
                || request.records().size() > config.inlineMaxRecords()
                || Boolean.TRUE.equals(request.explain())) {
            return Optional.empty();
        }
        TenantId tenant = tenantContext.require();
        long started = System.nanoTime();
        List<Map<String, Object>> records;
        try {
            records = validate(request);
        } catch (RuntimeException e) {
            metrics.failed(tenant.value(), UNRESOLVED);
            throw e;
        }
        Optional<VersionRef> known =
                registry.knownAliasRef(model, request.alias() == null ? ModelRegistry.PRODUCTION : request.alias());
        if (known.isEmpty()) {
            return Optional.empty();
        }
        int version = known.get().version();
        ModelCache<ModelKey, ServedModel>.Lease lease = models.acquireIfLoaded(model, known.get());
        if (lease == null) {
            return Optional.empty();
        }
        boolean handedOver = false;
        try {
            ServedModel served = lease.value();
            Scorer.Encoded encoded = encode(tenant, model, version, served, records);
            CompletableFuture<PredictResponse> response = new CompletableFuture<>();
            handedOver = batcher.submit(
                    new ModelKey(tenant, model, version, known.get().id()),
                    served,
                    encoded.data(),
                    records.size(),
                    new TurnBatcher.Completion() {
                        @Override
                        public void scored(List<Prediction> predictions) {
                            try {
                                response.complete(
                                        respond(tenant, model, version, served, encoded, predictions, started));
                            } catch (RuntimeException e) {
                                failed(e);
                            } finally {
                                lease.close();
                            }
                        }

                        @Override
                        public void failed(Throwable cause) {
                            lease.close();
                            metrics.failed(tenant.value(), model);
                            response.completeExceptionally(new IllegalStateException(
                                    "XGBoost failed to score model '" + model + "' version " + version, cause));
                        }
                    });
            if (!handedOver) {
                List<Prediction> predictions = Scorer.predict(served, encoded.data(), records.size(), false);
                return Optional.of(CompletableFuture.completedFuture(
                        respond(tenant, model, version, served, encoded, predictions, started)));
            }
            return Optional.of(response);
        } catch (XGBoostError e) {
            metrics.failed(tenant.value(), model);
            throw new IllegalStateException("XGBoost failed to score model '" + model + "' version " + version, e);
        } catch (RuntimeException e) {
            metrics.failed(tenant.value(), model);
            throw e;
        } finally {
            if (!handedOver) {
                lease.close();
            }
        }
    }

    /**
     * Encodes the records; when a value is refused (400), first hands the refused records to the log, with
     * their kinds and no output, so that monitoring sees refused types beside missing and unseen values.
     */
    private Scorer.Encoded encode(
            TenantId tenant, String model, int version, ServedModel served, List<Map<String, Object>> records) {
        try {
            return Scorer.encode(served, records);
        } catch (ProblemException e) {
            Instant now = clock.instant();
            for (Map<String, Object> record : records) {
                if (record == null) {
                    continue;
                }
                ValueKind[] kinds = served.transform().classify(record);
                if (Arrays.asList(kinds).contains(ValueKind.REFUSED)) {
                    log.record(new LoggedPrediction(
                            TimeOrderedIds.next(), tenant, model, version, now, kinds, new float[0], new float[0]));
                }
            }
            throw e;
        }
    }

    /** Logs what was predicted (enqueue only), counts it, and shapes the answer. */
    private PredictResponse respond(
            TenantId tenant,
            String model,
            int version,
            ServedModel served,
            Scorer.Encoded encoded,
            List<Prediction> predictions,
            long started) {
        Instant now = clock.instant();
        for (int i = 0; i < predictions.size(); i++) {
            Prediction p = predictions.get(i);
            EncodedRecord record = encoded.records().get(i);
            log.record(new LoggedPrediction(
                    p.id(), tenant, model, version, now, record.kinds(), record.features(), outputs(served, p)));
        }
        metrics.predicted(tenant.value(), model, predictions.size(), System.nanoTime() - started);
        usage.add(
                tenant,
                Meter.PREDICT_RECORDS,
                Map.of("model", model, "version", Integer.toString(version)),
                predictions.size());
        return new PredictResponse(model, version, predictions, encoded.warnings());
    }

    /**
     * The version a request names, or the one its alias (default production) points to now.
     *
     * @throws ProblemException 404 for a model the tenant does not have, 409 when the alias is not set yet
     */
    public int resolve(String model, Integer version, String alias) {
        return resolveRef(model, version, alias).version();
    }

    /** {@link #resolve}, with the version's row id (its incarnation), which the model cache is keyed by. */
    public VersionRef resolveRef(String model, Integer version, String alias) {
        if (version != null && alias != null) {
            throw ProblemException.badField(
                    "invalid-prediction-request", "alias", "give either version or alias, not both");
        }
        if (alias != null && !ModelRegistry.isAliasName(alias)) {
            throw ProblemException.badField(
                    "invalid-alias", "alias", ModelRegistry.aliasNameRule() + ", was '" + alias + "'");
        }
        if (version != null) {
            return registry.versionRef(model, version);
        }
        String name = alias == null ? ModelRegistry.PRODUCTION : alias;
        return registry.aliasRef(model, name).orElseThrow(() -> {
            if (specs.spec(model).isEmpty() && !registry.hasVersions(model)) {
                return ProblemException.notFound("model '" + model + "' does not exist");
            }
            return new ProblemException(Problem.of(
                            409,
                            "no-version-for-alias",
                            "Conflict",
                            "model '" + model + "' has no '" + name + "' version yet; train and promote one first")
                    .with("alias", name));
        });
    }

    private List<Map<String, Object>> validate(PredictRequest request) {
        if (request == null || request.records() == null || request.records().isEmpty()) {
            throw ProblemException.badField(
                    "invalid-prediction-request", "records", "records must be a non-empty array of objects");
        }
        if (request.records().size() > config.maxRecords()) {
            throw new ProblemException(Problem.of(
                            413,
                            "too-many-records",
                            "Content too large",
                            "a request may carry at most " + config.maxRecords() + " records, this one has "
                                    + request.records().size())
                    .with("maxRecords", config.maxRecords()));
        }
        return request.records();
    }

    /**
     * The model's output as the log keeps it: the score (regression; binary: the positive class's
     * probability), or the class probabilities in the target's class order (multiclass); the label follows.
     */
    static float[] outputs(ServedModel served, Prediction p) {
        if (p.probabilities() == null) {
            return new float[] {(float) p.score()};
        }
        List<String> classes = served.model().target().classes();
        float[] out = new float[classes.size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = p.probabilities().getOrDefault(classes.get(c), Double.NaN).floatValue();
        }
        return out;
    }
}
