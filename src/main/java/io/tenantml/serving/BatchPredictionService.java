package io.tenantml.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Sort;
import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetVersionRef;
import io.tenantml.registry.ModelDeleted;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.registry.ModelVersionView;
import io.tenantml.scheduling.TenantJobs;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.serving.internal.BatchPredictionEntity;
import io.tenantml.serving.internal.BatchPredictionJob;
import io.tenantml.serving.internal.BatchPredictionRowEntity;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.tenancy.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.quartz.JobKey;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;

/**
 * Batch predictions of the current tenant: a request becomes a row and a Quartz trigger in one
 * transaction (the clustered store joins it), so a batch is either queued and will run, or not created.
 * Precomputed lookups read the rows of the latest succeeded batch of the model.
 */
@ApplicationScoped
public class BatchPredictionService {

    /** The tenant's one durable batch job; each batch is a one-shot trigger carrying its id. */
    public static final String JOB_NAME = "batch-predictions";

    public static final String BATCH_ID = "batchId";

    @Inject
    TenantContext tenantContext;

    @Inject
    PredictionService predictions;

    @Inject
    ModelRegistry registry;

    @Inject
    DatasetReader datasets;

    @Inject
    TenantJobs jobs;

    @Inject
    BlobStore blobs;

    @Inject
    CurrentPrincipal principal;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    @Transactional
    public BatchPredictionView submit(String model, BatchPredictionRequest request) {
        TenantId tenant = tenantContext.require();
        if (request == null || request.dataset() == null || request.dataset().isBlank()) {
            throw new ProblemException(Problem.of(400, "invalid-batch-request", "Bad request", "dataset is required")
                    .with("field", "dataset"));
        }
        int version = predictions.resolve(model, request.version(), request.alias());
        ModelVersionView modelVersion = registry.version(model, version);
        DatasetVersionRef data = (request.datasetVersion() == null
                        ? datasets.latest(request.dataset())
                        : datasets.version(request.dataset(), request.datasetVersion()))
                .orElseThrow(() -> ProblemException.notFound("dataset '" + request.dataset() + "'"
                        + (request.datasetVersion() == null
                                ? " has no version"
                                : " has no version " + request.datasetVersion())));
        try {
            modelVersion.transform().bind(data.schema());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(
                    Problem.of(422, "dataset-does-not-fit-model", "Unprocessable content", e.getMessage())
                            .with("field", "dataset"));
        }
        BatchPredictionEntity batch = new BatchPredictionEntity();
        batch.id = UUID.randomUUID();
        batch.model = model;
        batch.version = version;
        batch.dataset = data.dataset();
        batch.datasetVersion = data.version();
        batch.datasetSha256 = data.sha256();
        batch.keyColumn = data.schema().primaryKey();
        batch.status = "queued";
        batch.rowsTotal = data.rows();
        batch.createdAt = clock.instant();
        batch.createdBy = principal.actor();
        batch.persist();
        JobKey job = jobs.ensureJob(tenant, JOB_NAME, BatchPredictionJob.class);
        jobs.schedule(
                tenant,
                TriggerBuilder.newTrigger()
                        .withIdentity(TenantJobs.triggerKey(tenant, "batch-" + batch.id))
                        .forJob(job)
                        .usingJobData(BATCH_ID, batch.id.toString())
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                        .startNow()
                        .build());
        return view(batch);
    }

    public BatchPredictionView get(String model, UUID id) {
        return view(entity(model, id));
    }

    public List<BatchPredictionView> list(String model) {
        return BatchPredictionEntity.<BatchPredictionEntity>list(
                        "model", Sort.by("createdAt").descending(), model)
                .stream()
                .map(BatchPredictionService::view)
                .toList();
    }

    /** The results CSV, checked against its recorded SHA-256 as it is opened. */
    public InputStream results(String model, UUID id) {
        BatchPredictionEntity batch = entity(model, id);
        if (!"succeeded".equals(batch.status)) {
            throw ProblemException.conflict(
                    "batch-not-finished",
                    "batch prediction " + id + " is " + batch.status + "; results are available once it has succeeded");
        }
        try {
            return blobs.openVerified(tenantContext.require(), new BlobKey(batch.resultsKey), batch.resultsSha256);
        } catch (IOException e) {
            throw new UncheckedIOException("results of batch prediction " + id + " cannot be read", e);
        }
    }

    /**
     * A deleted model's batch predictions go with it, in the deleting transaction: their precomputed rows
     * (by cascade) must not answer for a model created again under the same name; their results files go
     * as the model's own files do.
     */
    void modelDeleted(@Observes ModelDeleted deleted) {
        BatchPredictionEntity.delete("model", deleted.model());
        try {
            blobs.deletePrefix(deleted.tenant(), "batch-predictions/" + deleted.model() + "/");
        } catch (IOException e) {
            throw new UncheckedIOException("results of the batch predictions of '" + deleted.model() + "'", e);
        }
    }

    /** @throws ProblemException 404 when the model has no finished batch or the key is not in it */
    public PrecomputedPrediction precomputed(String model, String key) {
        BatchPredictionEntity batch = BatchPredictionEntity.<BatchPredictionEntity>find(
                        "model = ?1 and status = 'succeeded'",
                        Sort.by("finishedAt").descending(),
                        model)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("model '" + model + "' has no finished batch prediction"));
        BatchPredictionRowEntity row = BatchPredictionRowEntity.<BatchPredictionRowEntity>find(
                        "id", new BatchPredictionRowEntity.Key(batch.id, key))
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound(
                        "key '" + key + "' is not in batch prediction " + batch.id + " of model '" + model + "'"));
        return new PrecomputedPrediction(
                model,
                key,
                batch.id,
                batch.version,
                batch.finishedAt,
                row.score,
                row.label,
                probabilities(row.probabilities));
    }

    private Map<String, Double> probabilities(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, new TypeReference<java.util.LinkedHashMap<String, Double>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("precomputed row unreadable", e);
        }
    }

    private static BatchPredictionEntity entity(String model, UUID id) {
        return BatchPredictionEntity.<BatchPredictionEntity>find("id = ?1 and model = ?2", id, model)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("model '" + model + "' has no batch prediction " + id));
    }

    static BatchPredictionView view(BatchPredictionEntity b) {
        double progress = b.rowsTotal == 0
                ? ("succeeded".equals(b.status) ? 1.0 : 0.0)
                : Math.min(1.0, (double) b.rowsDone / b.rowsTotal);
        return new BatchPredictionView(
                b.id,
                b.model,
                b.version,
                b.dataset,
                b.datasetVersion,
                b.keyColumn,
                b.status,
                progress,
                b.rowsTotal,
                b.rowsDone,
                b.createdAt,
                b.startedAt,
                b.finishedAt,
                b.resultsSha256,
                b.error);
    }
}
