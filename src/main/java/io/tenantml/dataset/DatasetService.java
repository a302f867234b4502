package io.tenantml.dataset;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantml.dataset.internal.DatasetEntity;
import io.tenantml.dataset.internal.DatasetStore;
import io.tenantml.dataset.internal.DatasetVersionEntity;
import io.tenantml.dataset.internal.DatasetVersionSketchEntity;
import io.tenantml.dataset.internal.IdempotencyEntity;
import io.tenantml.dataset.internal.Ingestion;
import io.tenantml.dataset.internal.RowExport;
import io.tenantml.dataset.internal.SpeculativeIngestion;
import io.tenantml.dataset.internal.Spool;
import io.tenantml.dataset.internal.StoredJson;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.PurgeReason;
import io.tenantml.shared.Role;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.VersionPurge;
import io.tenantml.shared.VersionRetention;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.usage.Meter;
import io.tenantml.usage.Meters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Datasets of the current tenant: definitions, uploads that become immutable versions, and reads.
 * An upload is spooled, validated and profiled in files first; only an accepted upload reaches the blob
 * store and then the database, in one transaction, so a refused or failed upload leaves nothing behind.
 */
@ApplicationScoped
public class DatasetService {

    private static final Logger LOG = Logger.getLogger(DatasetService.class);
    /** Also a blob-key segment, hence the conservative alphabet. */
    public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$");

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7E]{1,200}$");

    @Inject
    DatasetStore store;

    @Inject
    BlobStore blobs;

    @Inject
    TenantContext tenantContext;

    @Inject
    CurrentPrincipal principal;

    @Inject
    DatasetConfig config;

    @Inject
    Clock clock;

    @Inject
    StoredJson storedJson;

    @Inject
    Meters usage;

    @Inject
    io.tenantml.usage.Quotas quotas;

    @Inject
    io.tenantml.dataset.internal.DatasetCount datasetCount;

    @Inject
    io.tenantml.shared.database.NameLocks nameLocks;

    @Inject
    io.tenantml.tenancy.TenantScope tenantScope;

    @Inject
    jakarta.enterprise.inject.Instance<DatasetVersionUse> versionUses;

    @Inject
    jakarta.enterprise.inject.Instance<DatasetDependents> dependents;

    @Inject
    io.tenantml.audit.Audit audit;

    @Inject
    jakarta.transaction.TransactionSynchronizationRegistry transactions;

    /** Declares or changes a dataset; returns true when it was created. */
    public boolean define(String name, DatasetDefinition definition) {
        checkName(name);
        DatasetDefinition def = definition == null ? new DatasetDefinition(null, null, null) : definition;
        if (def.schema() != null) {
            checkSchema(def.schema());
        }
        if (def.retention() != null) {
            def.retention().checked("retention");
        }
        Instant now = clock.instant();
        boolean isNew = QuarkusTransaction.requiringNew().call(() -> {
            // two declarations at once: the second waits, so only the first says it created the dataset; the name
            // lock comes before the quota's lock (the order Quotas.requireRoomForOneMore documents)
            nameLocks.lock("dataset", tenantContext.require(), name);
            boolean created = store.dataset(name).isEmpty();
            if (created) {
                quotas.requireRoomForOneMore(io.tenantml.usage.Limit.DATASETS, datasetCount::current);
            }
            DatasetEntity d =
                    store.lockOrCreate(name, write(def.policy() == null ? IngestPolicy.defaults() : def.policy()), now);
            if (def.description() != null) {
                d.description = def.description();
            }
            if (def.policy() != null) {
                d.policyJson = write(def.policy());
            }
            if (def.schema() != null) {
                dependents.forEach(check -> check.beforeDeclare(name, def.schema()));
                d.schemaJson = write(def.schema());
                d.schemaSource = SchemaSource.DECLARED.wireName();
            }
            if (def.retention() != null) {
                d.keepVersions = def.retention().keepVersions();
            }
            d.updatedAt = now;
            return created;
        });
        if (def.retention() != null) {
            applyRetention(name);
        }
        return isNew;
    }

    /** The tenant's datasets by name (unique per tenant). */
    public Page<DatasetView> list(PageRequest page) {
        List<String> after = page.after("datasets", 1);
        List<DatasetView> out = new ArrayList<>();
        for (DatasetEntity d : store.datasets(after == null ? null : after.get(0), page.fetchSize())) {
            out.add(view(d));
        }
        return page.page(out, "datasets", d -> List.of(d.name()));
    }

    /** A dataset's versions, oldest first. */
    public Page<DatasetView.VersionSummary> versions(String name, PageRequest page) {
        DatasetEntity d = require(name);
        List<String> after = page.after("dataset-versions", 1);
        int from = after == null ? 0 : PageRequest.value(after.get(0), Integer::parseInt);
        List<DatasetView.VersionSummary> out = store.versions(d.id, from, page.fetchSize()).stream()
                .map(this::summary)
                .toList();
        return page.page(out, "dataset-versions", v -> List.of(Integer.toString(v.version())));
    }

    public DatasetView get(String name) {
        return view(require(name));
    }

    public DatasetVersionView version(String name, int version) {
        DatasetEntity d = require(name);
        return versionView(
                d,
                store.version(d.id, version)
                        .orElseThrow(
                                () -> ProblemException.notFound("Dataset '" + name + "' has no version " + version)));
    }

    /**
     * Deletes the dataset with its versions and files.
     *
     * @throws ProblemException 404 for an unknown dataset; 409 {@code dataset-in-use} while a {@link DatasetDependents}
     *     reads it or a {@link DatasetVersionUse} still needs one of its versions, each named in {@code usedBy}
     */
    public void delete(String name) {
        TenantId tenant = tenantContext.require();
        QuarkusTransaction.requiringNew().run(() -> {
            // two deletes at once: the second waits, then finds no dataset (404); a spec saved or a job queued at
            // the same moment holds the lock's shared side, so it is seen here or sees no dataset
            nameLocks.lock("dataset", tenant, name);
            DatasetEntity d = require(name);
            List<String> usedBy = new ArrayList<>();
            dependents.forEach(dependent -> usedBy.addAll(dependent.dependentsOf(name)));
            for (int version : store.versionsWithRowsBeyond(d.id, 0)) {
                usedBy.addAll(usesOf(name, version));
            }
            if (!usedBy.isEmpty()) {
                throw new ProblemException(Problem.of(
                                409,
                                "dataset-in-use",
                                "Conflict",
                                "dataset '" + name + "' is still needed: " + String.join("; ", usedBy)
                                        + "; delete or change them first")
                        .with("dataset", name)
                        .with("usedBy", usedBy));
            }
            store.deleteDataset(d.id);
        });
        try {
            blobs.deletePrefix(tenant, "datasets/" + name + "/");
        } catch (IOException e) {
            // The rows are gone; leftover files are unreachable and removed with the tenant.
            LOG.warnf(e, "Files of deleted dataset %s of tenant %s not removed", name, tenant);
        }
    }

    /**
     * Uploads a version. An upload that holds what the dataset's latest version holds makes none: nothing is
     * stored and the answer is that latest version ({@link UploadResult#unchanged()}; see {@link #sameContent}).
     * With an idempotency key, a repeated request with the same body returns the first result
     * ({@link UploadResult#replayed()}), another body under the same key is refused (422), and a request while
     * the first is still running gets 409.
     */
    public UploadResult upload(String name, DatasetFormat format, InputStream body, String idempotencyKey)
            throws IOException {
        return upload(name, format, body, idempotencyKey, (Appending) null);
    }

    /**
     * Appends records to the dataset's latest version as a new version, through the path every upload takes
     * (validated against the dataset's schema, quarantine and policy, profiled, content-addressed, metered): the
     * new version holds the latest version's rows first, unchanged, then {@code records}. The platform's way to
     * grow a dataset from what it learned (a rule's retrain with labelled production records), so that such a
     * version is like any other, and its provenance says where the records came from.
     *
     * @param records    column name to value (Number, String, Boolean, Instant or null), one map per record;
     *                   columns not named are null
     * @param provenance the source, model, windows and skipped records ({@code appendedTo} and {@code appendedRows}
     *                   are set here)
     * @param inCommit   runs in the transaction that commits the version, with it: the caller's own record of
     *                   what it appended commits with the version or not at all (a throw refuses the version)
     * @throws ProblemException 404 for an unknown dataset; 409 when another version lands meanwhile (the
     *     appended rows would not follow the latest); what an upload of the rows would be refused with
     * @throws IllegalArgumentException when {@code records} is empty: an append always adds rows, so it is never
     *     found unchanged, and a version that adds none would only start the retrains and rebuilds that an
     *     unchanged upload spares (callers with nothing to append do not call)
     */
    public UploadResult append(
            String name,
            List<Map<String, Object>> records,
            VersionProvenance provenance,
            java.util.function.Consumer<DatasetVersionRef> inCommit)
            throws IOException {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(provenance, "provenance");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no records to append to dataset '" + name + "'");
        }
        DatasetEntity d = require(name);
        TenantId tenant = tenantContext.require();
        Optional<DatasetVersionEntity> latest = store.latest(d.id);
        Integer base = latest.map(v -> v.version).orElse(null);
        Path file = Files.createTempFile(workDir(), "append-", ".ndjson");
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                if (latest.isPresent()) {
                    DatasetVersionEntity v = latest.get();
                    try (InputStream in = blobs.openVerified(tenant, new BlobKey(v.blobKey), v.sha256)) {
                        RowExport.write(in, read(v.schemaJson, DatasetSchema.class), DatasetFormat.NDJSON, out);
                    }
                }
                for (Map<String, Object> record : records) {
                    Map<String, Object> line = new java.util.LinkedHashMap<>();
                    record.forEach((k, value) -> line.put(k, value instanceof Instant i ? i.toString() : value));
                    out.write(RECORDS.writeValueAsBytes(line));
                    out.write('\n');
                }
            }
            VersionProvenance p = new VersionProvenance(
                    provenance.source(),
                    provenance.model(),
                    base,
                    records.size(),
                    provenance.windows(),
                    provenance.skipped());
            try (InputStream in = Files.newInputStream(file)) {
                return upload(
                        name,
                        DatasetFormat.NDJSON,
                        in,
                        null,
                        new Appending(p, base, inCommit == null ? ref -> {} : inCommit));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper RECORDS =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** What {@link #append} adds to an upload: the provenance, the version it follows, the caller's commit work. */
    private record Appending(
            VersionProvenance provenance, Integer base, java.util.function.Consumer<DatasetVersionRef> inCommit) {}

    private UploadResult upload(
            String name, DatasetFormat format, InputStream body, String idempotencyKey, Appending appending)
            throws IOException {
        checkName(name);
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ProblemException.badRequest(
                    "invalid-idempotency-key", "Idempotency-Key must be 1..200 visible ASCII characters");
        }
        TenantId tenant = tenantContext.require();
        boolean mayDefine = mayDefineDatasets();
        if (!mayDefine && store.dataset(name).isEmpty()) {
            throw notDefined(name);
        }
        Path workDir = workDir();
        long t0 = System.nanoTime();
        // The pass starts while the body arrives, against the dataset as it is now; it is only used when the
        // dataset is still the same once the key is claimed (else it is discarded and the pass runs again).
        Target target = target(name);
        Path spoolFile = Spool.create(workDir);
        Spool spool = null;
        UUID claim = null;
        List<BlobKey> written = new ArrayList<>();
        Ingestion.Outcome outcome = null;
        io.tenantml.usage.Quotas.Slot uploadSlot = quotas.uploadSlot();
        try (SpeculativeIngestion speculation = SpeculativeIngestion.start(
                spoolFile,
                new Ingestion(config, clock),
                format,
                target.schema(),
                target.policy(),
                target.previous(),
                workDir)) {
            spool = Spool.receive(body, spoolFile, config.maxBodyBytes(), speculation::written);
            speculation.received();
            long t1 = System.nanoTime();
            if (idempotencyKey != null) {
                String requestSha = Spool.sha256Hex(name + "\n" + format.wireName() + "\n" + spool.sha256());
                DatasetStore.ClaimResult result =
                        store.claim(idempotencyKey, name, requestSha, clock.instant(), config.idempotencyLease());
                if (result.claimed() == null) {
                    return replay(result.existing(), requestSha, idempotencyKey);
                }
                claim = result.claimed();
            }
            Target now = target(name);
            IngestPolicy policy = now.policy();
            if (now.sameAs(target)) {
                outcome = speculation.result();
            } else {
                speculation.close();
                outcome = new Ingestion(config, clock)
                        .run(spool.path(), format, now.schema(), policy, now.previous(), workDir);
            }
            long t2 = System.nanoTime();
            // plan limits, checked before any file or row is written
            quotas.requireAtMost(io.tenantml.usage.Limit.ROWS_PER_DATASET_VERSION, outcome.rows());
            Ingestion.Outcome validated = outcome;
            UUID claimed = claim;
            Spool received = spool;
            BlobKey rowsKey = BlobKey.of("datasets", name, "rows", outcome.sha256() + ".bin.gz");
            BlobKey quarantineKey = outcome.quarantineFile() == null
                    ? null
                    : BlobKey.of("datasets", name, "quarantine", outcome.quarantineSha256() + ".ndjson.gz");
            // The files are content-addressed: one already stored (an unchanged upload's, or an older version's
            // rows uploaded again) adds nothing, so an upload near the storage limit that stores nothing new passes.
            long adding = sizeUnlessStored(tenant, rowsKey, outcome.rowsFile())
                    + (quarantineKey == null ? 0 : sizeUnlessStored(tenant, quarantineKey, outcome.quarantineFile()));
            long t3 = System.nanoTime();
            Committed saved = quotas.withinStorage(
                    adding,
                    () -> commit(
                            name,
                            format,
                            received,
                            validated,
                            rowsKey,
                            quarantineKey,
                            claimed,
                            policy,
                            mayDefine,
                            appending,
                            written));
            written.clear();
            claim = null;
            LOG.debugf(
                    "Dataset %s of %s: %d rows, %d bytes%s; receive %d ms, validate+profile %d ms, limits %d ms,"
                            + " store and commit %d ms",
                    name,
                    tenant,
                    outcome.rows(),
                    spool.bytes(),
                    saved.unchanged() ? " (unchanged: no new version)" : "",
                    (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000,
                    (t3 - t2) / 1_000_000,
                    (System.nanoTime() - t3) / 1_000_000);
            DatasetEntity d = store.dataset(name).orElseThrow();
            UploadResult result = new UploadResult(versionView(d, saved.version()), false, saved.unchanged());
            if (!saved.unchanged() && d.keepVersions != null) {
                applyRetentionOnceCommitted(name);
            }
            return result;
        } finally {
            uploadSlot.close();
            if (claim != null) {
                store.release(claim);
            }
            for (BlobKey key : written) {
                try {
                    blobs.delete(tenant, key);
                } catch (IOException e) {
                    LOG.warnf(e, "Could not remove %s of a failed upload", key);
                }
            }
            if (spool != null) {
                spool.delete();
            } else {
                Files.deleteIfExists(spoolFile);
            }
            if (outcome != null) {
                Files.deleteIfExists(outcome.rowsFile());
                if (outcome.quarantineFile() != null) {
                    Files.deleteIfExists(outcome.quarantineFile());
                }
            }
        }
    }

    /**
     * Only admins (and operators, and the platform itself, e.g. manifests) define datasets, by declaring one or
     * by uploading its first version; integrations only add versions to datasets that exist. A credential
     * that feeds data must not be able to create names (and storage) the admin never decided on.
     */
    private boolean mayDefineDatasets() {
        return principal
                .get()
                .map(p -> p.isOperator() || p.role() != Role.INTEGRATION)
                .orElse(true);
    }

    private static ProblemException notDefined(String name) {
        return new ProblemException(Problem.of(
                        404,
                        "dataset-not-defined",
                        "Not found",
                        "No dataset '" + name + "'. Integrations add versions to existing datasets; an admin defines "
                                + "a dataset (PUT .../datasets/" + name + ", or by uploading its first version).")
                .with("dataset", name));
    }

    /**
     * What an upload to {@code name} is checked against: the dataset's schema (null before its first version)
     * and policy, and its latest version. {@link #sameAs} compares what they were read from.
     */
    private record Target(
            String schemaJson,
            String policyJson,
            UUID latestVersionId,
            DatasetSchema schema,
            IngestPolicy policy,
            Ingestion.Previous previous) {
        boolean sameAs(Target other) {
            return Objects.equals(schemaJson, other.schemaJson)
                    && Objects.equals(policyJson, other.policyJson)
                    && Objects.equals(latestVersionId, other.latestVersionId);
        }
    }

    private Target target(String name) {
        Optional<DatasetEntity> existing = store.dataset(name);
        if (existing.isEmpty()) {
            return new Target(null, null, null, null, IngestPolicy.defaults(), null);
        }
        DatasetEntity d = existing.get();
        Optional<DatasetVersionEntity> latest = store.latest(d.id);
        return new Target(
                d.schemaJson,
                d.policyJson,
                latest.map(v -> v.id).orElse(null),
                d.schemaJson == null ? null : read(d.schemaJson, DatasetSchema.class),
                read(d.policyJson, IngestPolicy.class),
                latest.map(v -> new Ingestion.Previous(
                                v.version,
                                read(v.schemaJson, DatasetSchema.class),
                                read(v.profileJson, DatasetProfile.class)))
                        .orElse(null));
    }

    /**
     * What a commit left as the dataset's latest version: the one it created, or ({@code unchanged}) the one that
     * already held the upload's content.
     */
    private record Committed(DatasetVersionEntity version, boolean unchanged) {}

    private Committed commit(
            String name,
            DatasetFormat format,
            Spool spool,
            Ingestion.Outcome outcome,
            BlobKey rowsKey,
            BlobKey quarantineKey,
            UUID claim,
            IngestPolicy policy,
            boolean mayDefine,
            Appending appending,
            List<BlobKey> written) {
        // in microseconds, as PostgreSQL keeps it (Clocks): the answer equals what a replay reads back
        Instant now = clock.instant();
        // joins the storage quota's transaction when the plan limits stored bytes (Quotas.withinStorage)
        return QuarkusTransaction.joiningExisting().call(() -> {
            if (mayDefine) {
                // Checked again here, under the name lock (taken before the quota's lock, as everywhere): the
                // dataset may have been created or deleted while the body arrived, and neither may happen between
                // this check and the insert below (a delete and a declaration take the same lock).
                nameLocks.lock("dataset", tenantContext.require(), name);
                if (store.dataset(name).isEmpty()) {
                    quotas.requireRoomForOneMore(io.tenantml.usage.Limit.DATASETS, datasetCount::current);
                }
            }
            DatasetEntity d = mayDefine
                    ? store.lockOrCreate(name, write(policy), now)
                    : store.lock(name).orElseThrow(() -> notDefined(name));
            if (d.schemaJson == null) {
                d.schemaJson = write(outcome.schema());
                d.schemaSource = (outcome.inferred() ? SchemaSource.INFERRED : SchemaSource.DECLARED).wireName();
                d.updatedAt = now;
            }
            // Read under the dataset's lock, which every commit of a version holds until it ends: no version can
            // land between this read and the insert below, so of two identical uploads at once the second finds
            // the first's version here and is unchanged.
            Optional<DatasetVersionEntity> latest = store.latest(d.id);
            if (appending != null && !Objects.equals(latest.map(l -> l.version).orElse(null), appending.base())) {
                throw ProblemException.conflict(
                        "dataset-changed",
                        "dataset '" + name + "' got a new version while records were being appended to version "
                                + appending.base() + "; append again");
            }
            // An append always adds rows (append refuses none), so only an upload is compared.
            if (appending == null && latest.isPresent() && sameContent(latest.get(), outcome, rowsKey, quarantineKey)) {
                if (claim != null) {
                    store.completeClaim(claim, latest.get().id, true);
                }
                // Metered although no version was made: the body was received, validated and profiled like any
                // other upload's, the work ingest.rows and ingest.bytes price; what an unchanged upload spares the
                // tenant is the stored bytes and the retrainings and index builds a new version would start. Once
                // per upload: the event is keyed by this upload (a repeat under its Idempotency-Key is a replay,
                // which meters nothing).
                meterIngest(name, outcome.rows(), spool.bytes(), "unchanged:" + UUID.randomUUID());
                return new Committed(latest.get(), true);
            }
            // Stored here, under the dataset's locks, not before them: a file stored before them is one no version
            // names yet, which the sweep after start (DatasetFilesSweep, which takes the same locks) would take
            // for a dead upload's, and a file found already stored (a dead upload's with these rows) could be swept
            // between that finding and this commit. A crash between these writes and the commit leaves the files
            // to that sweep.
            try {
                putIfAbsent(tenantContext.require(), rowsKey, outcome.rowsFile(), written);
                if (quarantineKey != null) {
                    putIfAbsent(tenantContext.require(), quarantineKey, outcome.quarantineFile(), written);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("files of dataset '" + name + "' could not be stored", e);
            }
            DatasetVersionEntity v = new DatasetVersionEntity();
            v.id = UUID.randomUUID();
            v.datasetId = d.id;
            v.version = store.nextVersion(d.id);
            v.sha256 = outcome.sha256();
            v.blobKey = rowsKey.path();
            v.quarantineKey = quarantineKey == null ? null : quarantineKey.path();
            v.rowCount = outcome.rows();
            v.quarantinedRows = outcome.quarantinedRows();
            v.sourceFormat = format.wireName();
            v.sourceSha256 = spool.sha256();
            v.sourceBytes = spool.bytes();
            v.schemaJson = write(outcome.schema());
            v.profileJson = write(outcome.profile());
            v.validationJson = write(outcome.report());
            v.createdAt = now;
            v.provenance = appending == null ? null : appending.provenance();
            v.persist();
            DatasetVersionSketchEntity sketches = new DatasetVersionSketchEntity();
            sketches.versionId = v.id;
            sketches.sketches = outcome.sketches().toBytes();
            sketches.persist();
            if (claim != null) {
                store.completeClaim(claim, v.id, false);
            }
            if (appending != null) {
                appending
                        .inCommit()
                        .accept(new DatasetVersionRef(
                                name, v.version, v.sha256, v.rowCount, v.createdAt, outcome.schema()));
            }
            // metered in the transaction that creates the version: exactly once per version
            meterIngest(name, v.rowCount, v.sourceBytes, v.id.toString());
            return new Committed(v, false);
        });
    }

    /**
     * Whether a validated upload holds what {@code latest} holds, so that the version it would make would show
     * nothing {@code latest} does not: the same rows (content-addressed: the same rows file, hence the same
     * {@code sha256} and row count), the same schema (the version shows it, and its constraints are not in the
     * rows' bytes), the same quarantined rows with the same reasons (the quarantine file, content-addressed too)
     * and the same findings about the upload itself (e.g. a column the schema drops, numbers stored as text, a
     * timestamp after the upload time, whose message names that time), so that an upload with a warning
     * {@code latest} never had is answered with that warning. Not compared: the findings of the comparison with
     * the version before, which for the same content differ only by what they were compared with; the profile,
     * computed from the rows and the schema already compared; and how the body was sent (format, source bytes
     * and hash), which describe the upload that made {@code latest}: the same rows sent as CSV instead of NDJSON
     * are the same version.
     */
    private boolean sameContent(
            DatasetVersionEntity latest, Ingestion.Outcome outcome, BlobKey rowsKey, BlobKey quarantineKey) {
        return latest.blobKey.equals(rowsKey.path())
                && latest.sha256.equals(outcome.sha256())
                && latest.rowCount == outcome.rows()
                && Objects.equals(latest.quarantineKey, quarantineKey == null ? null : quarantineKey.path())
                && latest.quarantinedRows == outcome.quarantinedRows()
                && read(latest.schemaJson, DatasetSchema.class).equals(outcome.schema())
                && Ingestion.ownFindings(read(latest.validationJson, ValidationReport.class))
                        .equals(Ingestion.ownFindings(outcome.report()));
    }

    /** Meters an upload's rows and body bytes, once per {@code upload} (a version id, or an unchanged upload's). */
    private void meterIngest(String name, long rows, long bodyBytes, String upload) {
        TenantId owner = tenantContext.require();
        Map<String, String> dimensions = Map.of("dataset", name);
        usage.record(owner, Meter.INGEST_ROWS, dimensions, rows, "ingest-rows:" + upload);
        usage.record(owner, Meter.INGEST_BYTES, dimensions, bodyBytes, "ingest-bytes:" + upload);
    }

    private UploadResult replay(IdempotencyEntity existing, String requestSha, String key) {
        if (existing == null) {
            // The claim vanished between insert and read: its first request failed and released it.
            throw ProblemException.retryableConflict(
                    "idempotency-key-in-use", "Idempotency-Key '" + key + "' is being released; retry");
        }
        if (!existing.requestSha256.equals(requestSha)) {
            throw ProblemException.unprocessable(
                    "idempotency-key-reused",
                    "Idempotency-Key '" + key
                            + "' was already used for a different request (another dataset, format or body)");
        }
        if (existing.versionId == null) {
            // the first request will have finished (replayed on retry) or failed and released the key (retry runs)
            throw ProblemException.retryableConflict(
                    "idempotency-key-in-use", "A request with Idempotency-Key '" + key + "' is still being processed");
        }
        DatasetVersionEntity v = store.versionById(existing.versionId)
                .orElseThrow(
                        () -> ProblemException.notFound("The version answered under this Idempotency-Key was deleted"));
        DatasetEntity d = DatasetEntity.<DatasetEntity>find("id", v.datasetId).firstResult();
        return new UploadResult(versionView(d, v), true, existing.unchanged);
    }

    /** The bytes storing {@code file} under {@code key} would add: none when the key is stored already. */
    private long sizeUnlessStored(TenantId tenant, BlobKey key, Path file) throws IOException {
        return blobs.exists(tenant, key) ? 0 : Files.size(file);
    }

    private void putIfAbsent(TenantId tenant, BlobKey key, Path file, List<BlobKey> written) throws IOException {
        if (blobs.exists(tenant, key)) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            blobs.put(tenant, key, in);
        }
        written.add(key);
    }

    /** The version's rows in {@code format}; resolves the version now so that a missing one is a 404 before streaming. */
    public StreamBody rows(String name, int version, DatasetFormat format) {
        DatasetEntity d = require(name);
        DatasetVersionEntity v = store.version(d.id, version)
                .orElseThrow(() -> ProblemException.notFound("Dataset '" + name + "' has no version " + version));
        requireRows(name, v);
        TenantId tenant = tenantContext.require();
        DatasetSchema schema = read(v.schemaJson, DatasetSchema.class);
        String key = v.blobKey;
        String sha = v.sha256;
        return out -> {
            try (InputStream in = blobs.openVerified(tenant, new BlobKey(key), sha)) {
                RowExport.write(in, schema, format, out);
            }
        };
    }

    /** Quarantined rows of a version as NDJSON ({@code line}, {@code reasons}, {@code values}); empty when none. */
    public StreamBody quarantine(String name, int version) {
        DatasetEntity d = require(name);
        DatasetVersionEntity v = store.version(d.id, version)
                .orElseThrow(() -> ProblemException.notFound("Dataset '" + name + "' has no version " + version));
        requireRows(name, v);
        TenantId tenant = tenantContext.require();
        String key = v.quarantineKey;
        return out -> {
            if (key == null) {
                return;
            }
            try (InputStream in = new java.util.zip.GZIPInputStream(blobs.open(tenant, new BlobKey(key))
                    .orElseThrow(() -> new IOException("quarantine file " + key + " is missing")))) {
                in.transferTo(out);
            }
        };
    }

    /**
     * Purges a version's rows and quarantined rows, freeing their storage, and keeps its record: the version is still
     * listed with its hashes, counts, schema, validation report and profile, and says when and by whom its rows were
     * purged; its rows answer 410 from then on. Purging a purged version changes nothing.
     *
     * @throws ProblemException 404 unknown dataset or version; 409 {@code latest-version} for the latest version
     *     (an upload is compared with it, and an append copies it); 409 {@code dataset-version-in-use} when
     *     something still needs its rows (a queued or running training, batch or index build pinned to it, a model
     *     version serving under an alias that was trained on it), each named in {@code usedBy}
     */
    public void purgeRows(String name, int version) {
        checkName(name);
        purge(tenantContext.require(), name, version, PurgeReason.REQUESTED, principal.actor());
    }

    /**
     * Purges the rows of the versions older than the dataset's newest {@code keepVersions}, oldest first, skipping
     * those still in use (a later pass, after the next version or change of the definition, finds them again). Its
     * failure does not undo what called it (a version that committed, a definition that changed): it is logged.
     */
    private void applyRetention(String name) {
        TenantId tenant = tenantContext.require();
        List<Integer> beyond;
        try {
            beyond = QuarkusTransaction.requiringNew()
                    .call(() -> store.dataset(name)
                            .filter(d -> d.keepVersions != null)
                            .map(d -> store.versionsWithRowsBeyond(d.id, d.keepVersions))
                            .orElse(List.of()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Retention of dataset %s of tenant %s not applied", name, tenant);
            return;
        }
        for (int version : beyond) {
            try {
                purge(tenant, name, version, PurgeReason.RETENTION, RETENTION_ACTOR);
            } catch (ProblemException e) {
                LOG.debugf(
                        "Retention of dataset %s of tenant %s keeps version %d's rows for now: %s",
                        name, tenant, version, e.problem().detail());
            } catch (RuntimeException e) {
                LOG.errorf(e, "Retention of dataset %s of tenant %s could not purge version %d", name, tenant, version);
            }
        }
    }

    /**
     * {@link #applyRetention} now, or when the version was committed inside the caller's transaction (an append in a
     * rule's claim, say), after that transaction commits, on a thread of its own: the purge takes the dataset's
     * locks, which that transaction holds until it ends, so doing it within would wait for itself.
     */
    private void applyRetentionOnceCommitted(String name) {
        if (!QuarkusTransaction.isActive()) {
            applyRetention(name);
            return;
        }
        TenantId tenant = tenantContext.require();
        transactions.registerInterposedSynchronization(new jakarta.transaction.Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == jakarta.transaction.Status.STATUS_COMMITTED) {
                    Thread.ofPlatform()
                            .name("tenantml-dataset-retention")
                            .daemon()
                            .start(() -> tenantScope.run(tenant, () -> applyRetention(name)));
                }
            }
        });
    }

    /** How the audit trail and a purged version name the retention ("system:" + this). */
    private static final String RETENTION_SYSTEM = "dataset-retention";

    private static final String RETENTION_ACTOR = "system:" + RETENTION_SYSTEM;

    /**
     * Marks the version purged (one transaction, under the locks a version's commit takes), then deletes its files
     * that no version with rows refers to (a second one, under the same locks: an upload of the same rows, which
     * are content-addressed, either committed before and keeps the file, or stores it again after). A node that dies
     * between the two leaves files no version with rows refers to, which the sweep after start
     * ({@link io.tenantml.dataset.internal.DatasetFilesSweep}) deletes.
     */
    /** What still needs the rows of the version, in words (a purge's or a delete's {@code usedBy}). */
    private List<String> usesOf(String name, int version) {
        List<String> uses = new ArrayList<>();
        for (DatasetVersionUse use : versionUses) {
            uses.addAll(use.usesOf(name, version));
        }
        return uses;
    }

    private void purge(TenantId tenant, String name, int version, PurgeReason reason, String by) {
        Optional<List<String>> files = QuarkusTransaction.requiringNew().call(() -> {
            nameLocks.lock("dataset", tenant, name);
            DatasetEntity d =
                    store.lock(name).orElseThrow(() -> ProblemException.notFound("No dataset '" + name + "'"));
            DatasetVersionEntity v = store.version(d.id, version)
                    .orElseThrow(() -> ProblemException.notFound("Dataset '" + name + "' has no version " + version));
            if (v.purgedAt != null) {
                return Optional.<List<String>>empty();
            }
            if (store.latest(d.id).map(l -> l.version == version).orElse(false)) {
                throw new ProblemException(Problem.of(
                                409,
                                "latest-version",
                                "Conflict",
                                "version " + version + " is the latest of dataset '" + name + "': its rows are what"
                                        + " an upload is compared with and an append extends; they are purged once"
                                        + " a newer version exists")
                        .with("dataset", name)
                        .with("version", version));
            }
            List<String> usedBy = usesOf(name, version);
            if (!usedBy.isEmpty()) {
                throw new ProblemException(Problem.of(
                                409,
                                "dataset-version-in-use",
                                "Conflict",
                                "the rows of version " + version + " of dataset '" + name + "' are still needed: "
                                        + String.join("; ", usedBy))
                        .with("dataset", name)
                        .with("version", version)
                        .with("usedBy", usedBy));
            }
            v.purgedAt = clock.instant();
            v.purgedBy = by;
            v.purgeReason = reason.wireName();
            Map<String, String> summary = new java.util.LinkedHashMap<>();
            summary.put("reason", reason.wireName());
            summary.put("rows", Long.toString(v.rowCount));
            summary.put("quarantinedRows", Long.toString(v.quarantinedRows));
            String action = "dataset.version.rows.purged";
            String target = "dataset=" + name + ", version=" + version;
            if (reason == PurgeReason.RETENTION) {
                audit.recordBySystem(action, target, summary, RETENTION_SYSTEM);
            } else {
                audit.record(action, target, summary);
            }
            List<String> keys = new ArrayList<>();
            keys.add(v.blobKey);
            if (v.quarantineKey != null) {
                keys.add(v.quarantineKey);
            }
            return Optional.of(keys);
        });
        if (files.isEmpty()) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                nameLocks.lock("dataset", tenant, name);
                Optional<DatasetEntity> d = store.lock(name);
                java.util.Set<String> named = d.isEmpty() ? java.util.Set.of() : store.referencedBlobKeys(d.get().id);
                for (String key : files.get()) {
                    if (!named.contains(key)) {
                        try {
                            blobs.delete(tenant, new BlobKey(key));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
            });
        } catch (RuntimeException e) {
            // The version is purged; its files are left to the sweep after start, which finds no version with rows
            // naming them.
            LOG.warnf(
                    e, "Files of the purged version %d of dataset %s of tenant %s not removed", version, name, tenant);
        }
    }

    /** 410 for a version whose rows were purged: its record is there, its rows are not. */
    private static void requireRows(String name, DatasetVersionEntity v) {
        if (v.purgedAt != null) {
            throw io.tenantml.dataset.internal.StoredDatasetReader.purged(name, v);
        }
    }

    /** A response body written after the resource method returns. */
    @FunctionalInterface
    public interface StreamBody {
        void write(OutputStream out) throws IOException;
    }

    DatasetEntity require(String name) {
        checkName(name);
        return store.dataset(name).orElseThrow(() -> ProblemException.notFound("No dataset '" + name + "'"));
    }

    private DatasetView view(DatasetEntity d) {
        DatasetStore.LatestVersion versions = store.latestWithCount(d.id);
        return new DatasetView(
                d.name,
                d.description,
                d.schemaJson == null ? null : read(d.schemaJson, DatasetSchema.class),
                d.schemaSource == null ? null : SchemaSource.fromWire(d.schemaSource),
                read(d.policyJson, IngestPolicy.class),
                new VersionRetention(d.keepVersions),
                d.createdAt,
                d.updatedAt,
                versions.count(),
                versions.latest().map(this::summary).orElse(null));
    }

    private DatasetView.VersionSummary summary(DatasetVersionEntity v) {
        return new DatasetView.VersionSummary(
                v.version,
                v.rowCount,
                v.quarantinedRows,
                v.sha256,
                read(v.validationJson, ValidationReport.class).status(),
                v.createdAt,
                purge(v));
    }

    private static VersionPurge purge(DatasetVersionEntity v) {
        return v.purgedAt == null
                ? null
                : new VersionPurge(v.purgedAt, v.purgedBy, PurgeReason.fromWire(v.purgeReason));
    }

    DatasetVersionView versionView(DatasetEntity d, DatasetVersionEntity v) {
        return new DatasetVersionView(
                d.name,
                v.version,
                v.rowCount,
                v.quarantinedRows,
                v.sha256,
                v.createdAt,
                DatasetFormat.fromWire(v.sourceFormat),
                v.sourceBytes,
                v.sourceSha256,
                read(v.schemaJson, DatasetSchema.class),
                read(v.validationJson, ValidationReport.class),
                read(v.profileJson, DatasetProfile.class),
                v.provenance,
                purge(v));
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ProblemException.badRequest(
                    "invalid-dataset-name", "Dataset name '" + name + "' must match " + NAME.pattern());
        }
    }

    private void checkSchema(DatasetSchema schema) {
        if (schema.columns().isEmpty()) {
            throw invalidSchema("schema.columns", "schema.columns must not be empty");
        }
        if (schema.columns().size() > config.maxColumns()) {
            throw new ProblemException(Problem.of(
                            422,
                            "limit-exceeded",
                            "Limit exceeded",
                            "The schema has " + schema.columns().size() + " columns (limit maxColumns = "
                                    + config.maxColumns() + ")")
                    .with("limit", "maxColumns")
                    .with("limitValue", config.maxColumns()));
        }
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < schema.columns().size(); i++) {
            ColumnSchema c = schema.columns().get(i);
            String at = "schema.columns[" + i + "].";
            if (c.name().isBlank()) {
                throw invalidSchema(at + "name", at + "name is blank");
            }
            Integer first = seen.putIfAbsent(c.name(), i);
            if (first != null) {
                throw invalidSchema(
                        at + "name", at + "name repeats '" + c.name() + "', the name of schema.columns[" + first + "]");
            }
            if (!c.type().isNumber() && (c.min() != null || c.max() != null)) {
                // they would be ignored (or, on a timestamp, compared with epoch milliseconds)
                String bound = c.min() != null ? "min" : "max";
                throw invalidSchema(
                        at + bound,
                        at + bound + " applies to numeric and integer columns only; '" + c.name() + "' is "
                                + c.type().wireName());
            }
            if (c.min() != null && c.max() != null && c.min() > c.max()) {
                throw invalidSchema(
                        at + "min",
                        at + "min " + c.min() + " is greater than max " + c.max() + " of '" + c.name() + "'");
            }
            if (c.allowedValues() != null) {
                if (c.type() != ColumnType.CATEGORICAL && c.type() != ColumnType.TEXT) {
                    // values are compared as the parser types them: 1 in a numeric column is "1.0", never "1"
                    throw invalidSchema(
                            at + "allowedValues",
                            at + "allowedValues applies to categorical and text columns only; '" + c.name() + "' is "
                                    + c.type().wireName() + " (use min and max for a range)");
                }
                if (c.allowedValues().isEmpty()) {
                    throw invalidSchema(
                            at + "allowedValues",
                            at + "allowedValues is empty, so every value of '" + c.name()
                                    + "' would be refused; leave it out to allow any value");
                }
            }
        }
        if (schema.primaryKey() != null && schema.indexOf(schema.primaryKey()) < 0) {
            throw invalidSchema("schema.primaryKey", "schema.primaryKey '" + schema.primaryKey() + "' is not a column");
        }
        if (schema.timeColumn() != null
                && schema.column(schema.timeColumn())
                        .map(c -> c.type() != ColumnType.TIMESTAMP)
                        .orElse(true)) {
            throw invalidSchema(
                    "schema.timeColumn",
                    "schema.timeColumn '" + schema.timeColumn() + "' must name a timestamp column");
        }
    }

    private static ProblemException invalidSchema(String field, String detail) {
        return ProblemException.badField("invalid-schema", field, detail);
    }

    private Path workDir() throws IOException {
        return Spool.dir(config.spoolDir());
    }

    private String write(Object value) {
        return storedJson.write(value);
    }

    private <T> T read(String text, Class<T> type) {
        return storedJson.read(text, type);
    }
}
