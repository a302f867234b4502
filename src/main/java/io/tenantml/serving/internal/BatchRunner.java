package io.tenantml.serving.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetRow;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.Objective;
import io.tenantml.model.TargetEncoding;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.scheduling.RunContext;
import io.tenantml.scheduling.RunFailure;
import io.tenantml.scheduling.RunHandler;
import io.tenantml.scheduling.RunKind;
import io.tenantml.serving.LoadedModels;
import io.tenantml.serving.ModelKey;
import io.tenantml.serving.Prediction;
import io.tenantml.serving.ServedModel;
import io.tenantml.serving.ServingConfig;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.cache.ModelCache;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StoredBlob;
import io.tenantml.usage.Meter;
import io.tenantml.usage.Meters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;

/**
 * Scores a dataset version in chunks of {@code tenantml.serving.batch.chunk-size} rows, so memory stays
 * bounded whatever the dataset size: each chunk is encoded by the model's own transform, scored, appended
 * to the results CSV (a blob that appears atomically at the end) and copied into the precomputed rows.
 * A redone run (node died) starts over: it first removes the rows the interrupted run left. The run ledger owns
 * the lifecycle; this is the handler of {@link RunKind#BATCH_PREDICTION}.
 */
@ApplicationScoped
public class BatchRunner implements RunHandler {

    @Inject
    LoadedModels models;

    @Inject
    ModelRegistry registry;

    @Inject
    DatasetReader datasets;

    @Inject
    BlobStore blobs;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ServingConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    Meters usage;

    @Override
    public RunKind kind() {
        return RunKind.BATCH_PREDICTION;
    }

    @Override
    public void run(RunContext run) throws Exception {
        TenantId tenant = run.tenant();
        UUID id = run.id();
        BatchPredictionEntity batch = QuarkusTransaction.requiringNew().call(() -> {
            BatchPredictionEntity b =
                    BatchPredictionEntity.<BatchPredictionEntity>find("id", id).firstResult();
            if (b != null) {
                b.rowsDone = 0;
            }
            return b;
        });
        if (batch == null) {
            throw new RunFailure("batch-missing", "the batch prediction's record is gone");
        }
        deleteRows(tenant, "batch_id = ?", ps -> ps.setObject(2, id));
        if (run.cancelled()) {
            // Checked before the model is loaded and the results file begun: a leaving tenant's batch neither
            // puts a model back into the cache nor starts a file.
            throw new java.util.concurrent.CancellationException();
        }
        StoredBlob results;
        try {
            results = score(tenant, batch, run);
        } catch (Exception e) {
            // Deleting the model deletes its batches (rows by cascade) and files under a running batch: whatever
            // that broke here (a foreign key, a version or file gone) is the delete, not a fault of the platform.
            if (!(e instanceof java.util.concurrent.CancellationException) && !batchExists(id)) {
                throw new RunFailure(
                        "model-deleted", "model '" + batch.model + "' was deleted while its batch prediction ran");
            }
            throw e;
        }
        run.succeed(() -> {
            BatchPredictionEntity b =
                    BatchPredictionEntity.<BatchPredictionEntity>find("id", id).firstResult();
            b.resultsAt = clock.instant();
            b.resultsKey = results.key().path();
            b.resultsSha256 = results.sha256();
            // metered in the transaction that marks it succeeded: a redone batch is billed once
            usage.record(
                    tenant,
                    Meter.BATCH_RECORDS,
                    Map.of("model", b.model, "version", Integer.toString(b.version)),
                    b.rowsDone,
                    "batch:" + id);
        });
        // Only the model's batch whose results completed last keeps lookup rows.
        deleteRows(
                tenant,
                "batch_id in (select id from batch_prediction where tenant_id = ? and model = ? "
                        + "and results_at is not null and id <> ?)",
                ps -> {
                    ps.setString(2, tenant.value());
                    ps.setString(3, batch.model);
                    ps.setObject(4, id);
                });
    }

    private static boolean batchExists(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> BatchPredictionEntity.count("id", id) > 0);
    }

    private StoredBlob score(TenantId tenant, BatchPredictionEntity batch, RunContext run) throws Exception {
        int chunk = config.batch().chunkSize();
        BlobKey key = BlobKey.of("batch-predictions", batch.model, batch.id + ".csv");
        try (ModelCache<ModelKey, ServedModel>.Lease lease =
                        models.acquire(batch.model, registry.versionRef(batch.model, batch.version));
                DatasetReader.RowCursor cursor = datasets.open(batch.dataset, batch.datasetVersion);
                BlobStore.BlobWriter writer = blobs.writer(tenant, key)) {
            if (!cursor.version().sha256().equals(batch.datasetSha256)) {
                throw new RunFailure(
                        "dataset-changed",
                        "dataset '" + batch.dataset + "' version " + batch.datasetVersion
                                + " is not the one the batch was requested on any more");
            }
            ServedModel model = lease.value();
            DatasetSchema schema = cursor.version().schema();
            FeatureTransform.RowEncoder encoder = model.transform().bind(schema);
            int keyAt = batch.keyColumn == null ? -1 : schema.indexOf(batch.keyColumn);
            TargetEncoding target = model.model().target();
            CSVPrinter csv = new CSVPrinter(
                    new OutputStreamWriter(writer.stream(), StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
            csv.printRecord(header(batch.keyColumn, target));
            int width = encoder.width();
            float[] data = new float[chunk * width];
            List<String> keys = new ArrayList<>(chunk);
            long done = 0;
            while (cursor.hasNext()) {
                keys.clear();
                while (keys.size() < chunk && cursor.hasNext()) {
                    DatasetRow row = cursor.next();
                    encoder.encode(row.values(), data, keys.size() * width);
                    Object pk = keyAt < 0 ? null : row.values()[keyAt];
                    keys.add(pk == null ? Long.toString(row.line()) : pk.toString());
                }
                float[] rows = keys.size() == chunk ? data : java.util.Arrays.copyOf(data, keys.size() * width);
                List<Prediction> predictions = Scorer.predict(model, rows, keys.size(), false);
                for (int i = 0; i < keys.size(); i++) {
                    csv.printRecord(csvRow(keys.get(i), predictions.get(i), target));
                }
                copyRows(tenant, batch.id, keys, predictions);
                done += keys.size();
                long progress = done;
                QuarkusTransaction.requiringNew()
                        .run(() -> BatchPredictionEntity.<BatchPredictionEntity>find("id", batch.id)
                                .firstResult()
                                .rowsDone = progress);
                run.progress(batch.rowsTotal == 0 ? 0 : (double) done / batch.rowsTotal);
                // The checkpoint between chunks: a cancellation, or the tenant leaving, stops the batch here and
                // its unfinished results file is removed (the writer is closed without commit).
                if (run.cancelled()) {
                    throw new java.util.concurrent.CancellationException();
                }
            }
            csv.flush();
            return writer.commit();
        }
    }

    private static List<String> header(String keyColumn, TargetEncoding target) {
        List<String> header = new ArrayList<>();
        header.add(keyColumn == null ? "line" : keyColumn);
        header.add("score");
        if (target.objective() != Objective.REGRESSION) {
            header.add("label");
        }
        if (target.objective() == Objective.MULTICLASS) {
            target.classes().forEach(c -> header.add("probability:" + c));
        }
        return header;
    }

    private static List<Object> csvRow(String key, Prediction p, TargetEncoding target) {
        List<Object> row = new ArrayList<>();
        row.add(key);
        row.add(p.score());
        if (target.objective() != Objective.REGRESSION) {
            row.add(p.label());
        }
        if (target.objective() == Objective.MULTICLASS) {
            target.classes().forEach(c -> row.add(p.probabilities().get(c)));
        }
        return row;
    }

    /** COPY into the precomputed rows; every row carries the tenant explicitly. */
    private void copyRows(TenantId tenant, UUID batchId, List<String> keys, List<Prediction> predictions)
            throws SQLException, IOException {
        StringWriter text = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.POSTGRESQL_CSV)) {
            for (int i = 0; i < keys.size(); i++) {
                Prediction p = predictions.get(i);
                printer.printRecord(
                        batchId,
                        tenant.value(),
                        keys.get(i),
                        p.score(),
                        p.label(),
                        p.probabilities() == null ? null : probabilities(p));
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "copy batch_prediction_row (batch_id, tenant_id, row_key, "
                                    + "score, label, probabilities) from stdin with (format csv)",
                            new StringReader(text.toString()));
        }
    }

    private String probabilities(Prediction p) {
        try {
            return json.writeValueAsString(p.probabilities());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Deletes precomputed rows of this tenant matching {@code where} (parameters from 2 on; 1 is the tenant). */
    private void deleteRows(TenantId tenant, String where, Binder binder) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("delete from batch_prediction_row where tenant_id = ? and " + where)) {
            ps.setString(1, tenant.value());
            binder.bind(ps);
            ps.executeUpdate();
        }
    }
}
