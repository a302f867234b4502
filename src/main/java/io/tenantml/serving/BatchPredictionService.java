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
import io.tenantml.scheduling.Run;
import io.tenantml.scheduling.RunKind;
import io.tenantml.scheduling.RunLedger;
import io.tenantml.scheduling.RunState;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.serving.internal.BatchPredictionEntity;
import io.tenantml.serving.internal.BatchPredictionRowEntity;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.ProblemException;
import io.tenantml.storage.BlobDeletions;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantContext;
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

/**
 * Batch predictions of the current tenant: a request becomes a row and a run of kind
 * {@link RunKind#BATCH_PREDICTION} in the run ledger in one transaction, so a batch is either queued and will run,
 * or not created ({@code internal.BatchRunner} is the kind's handler). Precomputed lookups read the rows of the
 * model's batch whose results completed last.
 */
@ApplicationScoped
public class BatchPredictionService {

    /** Name of the batch predictions list in its page cursors. */
    static final String LIST = "batch-predictions";

    @Inject
    io.tenantml.usage.Quotas quotas;

    @Inject
    TenantContext tenantContext;

    @Inject
    PredictionService predictions;

    @Inject
    ModelRegistry registry;

    @Inject
    DatasetReader datasets;

    @Inject
    RunLedger ledger;

    @Inject
    BlobStore blobs;

    @Inject
    BlobDeletions blobDeletions;

    @Inject
    CurrentPrincipal principal;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    @Transactional
    public BatchPredictionView submit(String model, BatchPredictionRequest request) {
        if (request == null || request.dataset() == null || request.dataset().isBlank()) {
            throw ProblemException.badField("invalid-batch-request", "dataset", "dataset is required");
        }
        if (request.datasetVersion() != null && request.datasetVersion() < 1) {
            throw ProblemException.badField(
                    "invalid-batch-request",
                    "datasetVersion",
                    "datasetVersion must be a version number from 1, was " + request.datasetVersion());
        }
        int version = predictions.resolve(model, request.version(), request.alias());
        datasets.holdAgainstPurge(request.dataset());
        quotas.requireJobSlot(RunKind.BATCH_PREDICTION);
        registry.holdAgainstPurge(model, version);
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
            throw ProblemException.unprocessableField("dataset-does-not-fit-model", "dataset", e.getMessage());
        }
        BatchPredictionEntity batch = new BatchPredictionEntity();
        batch.id = UUID.randomUUID();
        batch.model = model;
        batch.version = version;
        batch.dataset = data.dataset();
        batch.datasetVersion = data.version();
        batch.datasetSha256 = data.sha256();
        batch.keyColumn = data.schema().primaryKey();
        batch.rowsTotal = data.rows();
        batch.createdAt = clock.instant();
        batch.createdBy = principal.actor();
        Run run = ledger.enqueue(RunKind.BATCH_PREDICTION, model, batch.id, false);
        batch.persist();
        return view(batch, run);
    }

    /** The run first, then the row: see {@code TrainingService.find} for why. */
    public BatchPredictionView get(String model, UUID id) {
        Run run = ledger.find(id)
                .orElseThrow(() -> ProblemException.notFound("model '" + model + "' has no batch prediction " + id));
        return view(entity(model, id), run);
    }

    /** One page of the model's batch predictions, newest first (then by id); keyset paging as for trainings. */
    public Page<BatchPredictionView> list(String model, PageRequest page) {
        List<String> after = page.after(LIST, 2);
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("model", model);
        String where = "model = :model";
        if (after != null) {
            where += " and (createdAt < :at or (createdAt = :at and id < :id))";
            try {
                params.put("at", PageRequest.instant(after.get(0)));
                params.put("id", UUID.fromString(after.get(1)));
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                throw PageRequest.foreignCursor();
            }
        }
        List<BatchPredictionEntity> rows = BatchPredictionEntity.<BatchPredictionEntity>find(
                        where,
                        Sort.by("createdAt", Sort.Direction.Descending).and("id", Sort.Direction.Descending),
                        params)
                .page(0, page.fetchSize())
                .list();
        Map<UUID, Run> runs = ledger.find(rows.stream().map(b -> b.id).toList());
        // rows were read before their runs: one whose run has succeeded since is read again
        List<UUID> stale = rows.stream()
                .filter(b -> b.resultsAt == null && runs.get(b.id).state() == RunState.SUCCEEDED)
                .map(b -> b.id)
                .toList();
        if (!stale.isEmpty()) {
            BatchPredictionEntity.getEntityManager().clear(); // a read-only list: nothing pending is lost
            Map<UUID, BatchPredictionEntity> fresh =
                    BatchPredictionEntity.<BatchPredictionEntity>list("id in ?1", stale).stream()
                            .collect(java.util.stream.Collectors.toMap(b -> b.id, b -> b));
            rows = rows.stream().map(b -> fresh.getOrDefault(b.id, b)).toList();
        }
        List<BatchPredictionView> views =
                rows.stream().map(b -> view(b, runs.get(b.id))).toList();
        return page.page(views, LIST, v -> List.of(v.createdAt().toString(), v.id().toString()));
    }

    /** A batch's results CSV, checked against its recorded SHA-256 as it was opened, and its size in bytes. */
    public record Results(InputStream content, long bytes) implements AutoCloseable {
        /** Closes the content, for an answer that sends none of it. */
        @Override
        public void close() {
            try {
                content.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The results CSV, checked against its recorded SHA-256 as it is opened. */
    public Results results(String model, UUID id) {
        BatchPredictionEntity batch = entity(model, id);
        Run run = run(batch);
        if (run.state() != RunState.SUCCEEDED) {
            throw ProblemException.conflict(
                    "batch-not-finished",
                    "batch prediction " + id + " is " + run.state().wireName()
                            + "; results are available once it has succeeded");
        }
        try {
            BlobKey key = new BlobKey(batch.resultsKey);
            long bytes = blobs.size(tenantContext.require(), key); // first: a failure then leaves no stream open
            return new Results(blobs.openVerified(tenantContext.require(), key, batch.resultsSha256), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("results of batch prediction " + id + " cannot be read", e);
        }
    }

    /**
     * A deleted model's batch predictions go with it, in the deleting transaction: their precomputed rows
     * (by cascade) must not answer for a model created again under the same name; their results files go
     * as the model's own files do, once that transaction has committed (a delete that rolls back keeps batches
     * whose results must still be readable).
     */
    void modelDeleted(@Observes ModelDeleted deleted) {
        // a running batch stops at its next chunk; one that meets the delete first ends as model-deleted
        ledger.cancelActive(RunKind.BATCH_PREDICTION, deleted.model(), "its model was deleted");
        BatchPredictionEntity.delete("model", deleted.model());
        blobDeletions.deletePrefixAfterCommit(deleted.tenant(), "batch-predictions/" + deleted.model() + "/");
    }

    /** @throws ProblemException 404 when the model has no finished batch or the key is not in it */
    public PrecomputedPrediction precomputed(String model, String key) {
        BatchPredictionEntity batch = BatchPredictionEntity.<BatchPredictionEntity>find(
                        "model = ?1 and resultsAt is not null",
                        Sort.by("resultsAt").descending().and("id", Sort.Direction.Descending),
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
                batch.resultsAt,
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

    private Run run(BatchPredictionEntity b) {
        return ledger.find(b.id).orElseThrow(() -> new IllegalStateException("batch " + b.id + " has no run"));
    }

    private BatchPredictionView view(BatchPredictionEntity b) {
        return view(b, run(b));
    }

    static BatchPredictionView view(BatchPredictionEntity b, Run run) {
        double progress = b.rowsTotal == 0
                ? (run.state() == RunState.SUCCEEDED ? 1.0 : 0.0)
                : Math.min(1.0, (double) b.rowsDone / b.rowsTotal);
        return new BatchPredictionView(
                b.id,
                b.model,
                b.version,
                b.dataset,
                b.datasetVersion,
                b.keyColumn,
                run.state(),
                progress,
                b.rowsTotal,
                b.rowsDone,
                b.createdAt,
                run.startedAt(),
                run.finishedAt(),
                b.resultsSha256,
                run.errorCode(),
                run.errorMessage());
    }
}
