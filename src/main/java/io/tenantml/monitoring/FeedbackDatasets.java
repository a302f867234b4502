package io.tenantml.monitoring;

import io.tenantml.audit.Audit;
import io.tenantml.dataset.DatasetReader;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.dataset.DatasetService;
import io.tenantml.dataset.DatasetVersionView;
import io.tenantml.dataset.VersionProvenance;
import io.tenantml.dataset.VersionSource;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.monitoring.internal.PredictionRecordCodec;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.shared.ProblemException;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Labelled production records as training rows: the current tenant's feedback joined to the features the
 * prediction log kept, turned back into the model's dataset columns ({@link FeatureTransform#decode}) and
 * appended to the dataset as a new version through {@link DatasetService#append} (the upload's validation and
 * versioning), with the log windows they came from as the version's provenance. Each labelled prediction is
 * appended at most once: the feedback row is marked with the version in the transaction that commits it, so a
 * second call for the same windows finds nothing new and makes no version.
 */
@ApplicationScoped
public class FeedbackDatasets {

    /** Most records one append takes (oldest first); the rest wait for the next one. */
    public static final int MAX_RECORDS = 200_000;

    /** Reasons a labelled record is left out, as the provenance counts them. */
    public static final String SKIPPED_UNSEEN = "unseen-category";

    public static final String SKIPPED_REFUSED = "refused";

    // Explicit tenant on both sides of the join: feedback and log are no entities.
    private static final String LABELLED = "select l.version, l.id, l.predicted_at, l.record, f.label, f.value "
            + "from prediction_feedback f join prediction_log l on l.id = f.prediction_id "
            + "where f.tenant_id = :tenant and f.model = :model and f.appended_version is null "
            + "and l.tenant_id = :tenant and l.model = :model and l.predicted_at >= :from and l.predicted_at < :to "
            + "order by l.predicted_at, l.id limit :limit";

    private static final String MARK = "update prediction_feedback set appended_dataset = :dataset, "
            + "appended_version = :version where tenant_id = :tenant and model = :model "
            + "and prediction_id = any(cast(:ids as uuid[])) and appended_version is null";

    /**
     * What an append did.
     *
     * @param version the new dataset version's number; empty when there was nothing new to append
     * @param records labelled records appended
     * @param skipped labelled records left out, by reason
     * @param since   the start of the log read: when the model's production version was trained
     */
    public record Appended(Optional<Integer> version, long records, Map<String, Long> skipped, Instant since) {}

    @Inject
    TenantContext tenantContext;

    @Inject
    EntityManager em;

    @Inject
    ModelRegistry registry;

    @Inject
    DatasetService datasets;

    @Inject
    DatasetReader reader;

    @Inject
    Clock clock;

    @Inject
    Audit audit;

    /**
     * Appends {@code model}'s labelled production records not appended before, predicted since its production
     * version was trained (all of its log when it has none), to {@code dataset} as a new version: each record's
     * inputs as the log kept them, its label (or value) as {@code target}, its prediction time in the dataset's
     * time column when it has one and the model does not read it; other columns empty. Records whose raw value
     * the log does not keep (an unseen category, a refused value) are left out and counted.
     *
     * @param systemActor the audit trail's actor of the append (the part of the platform that asks for it)
     * @throws ProblemException 404 for an unknown dataset; what the dataset refuses the rows with (422)
     */
    public Appended append(String model, String dataset, String target, String systemActor) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(target, "target");
        String tenant = tenantContext.require().value();
        DatasetSchema schema =
                reader.schema(dataset).orElseThrow(() -> ProblemException.notFound("no dataset '" + dataset + "'"));
        Instant since = registry.aliasVersion(model, ModelRegistry.PRODUCTION)
                .map(v -> registry.version(model, v).createdAt())
                .orElse(Instant.EPOCH);
        Instant until = clock.instant().plusMillis(1);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(LABELLED)
                .setParameter("tenant", tenant)
                .setParameter("model", model)
                .setParameter("from", since.toEpochMilli())
                .setParameter("to", until.toEpochMilli())
                .setParameter("limit", MAX_RECORDS)
                .getResultList();
        Map<Integer, FeatureTransform> transforms = new HashMap<>();
        List<Map<String, Object>> records = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        Map<String, Long> skipped = new TreeMap<>();
        // (version, hour) -> records appended, in time order
        Map<String, VersionProvenance.SourceWindow> windows = new LinkedHashMap<>();
        for (Object[] r : rows) {
            int version = ((Number) r[0]).intValue();
            UUID id = r[1] instanceof UUID u ? u : UUID.fromString(r[1].toString());
            Instant predictedAt = Instant.ofEpochMilli(((Number) r[2]).longValue());
            PredictionRecordCodec.Payload p = PredictionRecordCodec.decode((byte[]) r[3]);
            FeatureTransform transform = transforms.computeIfAbsent(
                    version, v -> registry.version(model, v).transform());
            Optional<Map<String, Object>> inputs = transform.decode(p.kinds(), p.features());
            if (inputs.isEmpty()) {
                skipped.merge(refused(p) ? SKIPPED_REFUSED : SKIPPED_UNSEEN, 1L, Long::sum);
                continue;
            }
            Map<String, Object> record = new LinkedHashMap<>();
            inputs.get().forEach((column, value) -> {
                if (schema.indexOf(column) >= 0) {
                    record.put(column, value);
                }
            });
            record.put(target, r[4] != null ? r[4] : r[5]);
            if (schema.timeColumn() != null && !record.containsKey(schema.timeColumn())) {
                record.put(schema.timeColumn(), predictedAt);
            }
            records.add(record);
            ids.add(id);
            Instant hour = predictedAt.truncatedTo(ChronoUnit.HOURS);
            windows.merge(
                    version + "@" + hour,
                    new VersionProvenance.SourceWindow(hour, hour.plus(Duration.ofHours(1)), version, 1),
                    (a, b) -> new VersionProvenance.SourceWindow(
                            a.start(), a.end(), a.modelVersion(), a.records() + b.records()));
        }
        if (records.isEmpty()) {
            return new Appended(Optional.empty(), 0, skipped, since);
        }
        List<VersionProvenance.SourceWindow> ordered = new ArrayList<>(windows.values());
        ordered.sort((a, b) -> a.start().equals(b.start())
                ? Integer.compare(a.modelVersion(), b.modelVersion())
                : a.start().compareTo(b.start()));
        VersionProvenance provenance =
                new VersionProvenance(VersionSource.PREDICTION_FEEDBACK, model, null, records.size(), ordered, skipped);
        try {
            DatasetVersionView version = datasets.append(dataset, records, provenance, ref -> {
                        int marked = em.createNativeQuery(MARK)
                                .setParameter("dataset", dataset)
                                .setParameter("version", ref.version())
                                .setParameter("tenant", tenant)
                                .setParameter("model", model)
                                .setParameter("ids", ids.toArray(UUID[]::new))
                                .executeUpdate();
                        if (marked != ids.size()) {
                            // another append took some of these records first: this version would repeat them
                            throw ProblemException.conflict(
                                    "feedback-appended-meanwhile",
                                    "labelled records of model '" + model
                                            + "' were appended by another call meanwhile");
                        }
                        // on the trail with the version (no request made it: the part of the platform that did
                        // is the actor)
                        audit.record(
                                "dataset.version.appended",
                                "dataset=" + dataset + ", version=" + ref.version(),
                                Audit.summary(
                                        "source",
                                        VersionSource.PREDICTION_FEEDBACK.wireName(),
                                        "model",
                                        model,
                                        "records",
                                        Integer.toString(ids.size())),
                                systemActor);
                    })
                    .version();
            return new Appended(Optional.of(version.version()), records.size(), skipped, since);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean refused(PredictionRecordCodec.Payload p) {
        for (io.tenantml.feature.ValueKind k : p.kinds()) {
            if (k == io.tenantml.feature.ValueKind.REFUSED) {
                return true;
            }
        }
        return false;
    }
}
