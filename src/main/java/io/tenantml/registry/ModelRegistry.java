package io.tenantml.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.tenantml.audit.Actor;
import io.tenantml.audit.Audit;
import io.tenantml.audit.AuditDraft;
import io.tenantml.events.EventType;
import io.tenantml.events.TenantEvents;
import io.tenantml.feature.FeatureTransform;
import io.tenantml.model.GateDecision;
import io.tenantml.model.ModelProvenance;
import io.tenantml.model.Objective;
import io.tenantml.model.TargetEncoding;
import io.tenantml.model.XGBoostParams;
import io.tenantml.registry.internal.ModelAliasEntity;
import io.tenantml.registry.internal.ModelAliasEventEntity;
import io.tenantml.registry.internal.ModelVersionEntity;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.shared.Page;
import io.tenantml.shared.PageRequest;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.PurgeReason;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.VersionPurge;
import io.tenantml.shared.cluster.ClusterConfig;
import io.tenantml.shared.cluster.ClusterEvents;
import io.tenantml.shared.cluster.InvalidatedCache;
import io.tenantml.storage.BlobDeletions;
import io.tenantml.storage.BlobKey;
import io.tenantml.storage.BlobStore;
import io.tenantml.storage.StoredBlob;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.tenancy.TenantService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.jboss.logging.Logger;

/**
 * The current tenant's model registry. Versions are immutable and numbered per model from 1; an alias
 * move and the version it follows commit in one transaction, so {@code production} always names a
 * registered, accepted version; every move is recorded with who and when. Model files are loaded only
 * after their SHA-256 matches the registered one.
 */
@ApplicationScoped
public class ModelRegistry {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    public static final String PRODUCTION = "production";
    /** Cluster event: a model's aliases changed (payload: tenant/model). */
    public static final String ALIASES_CHANGED = "model-aliases-changed";

    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9-]{0,59}");

    @Inject
    TenantContext tenantContext;

    @Inject
    io.tenantml.shared.database.NameLocks nameLocks;

    @Inject
    CurrentPrincipal principal;

    @Inject
    Audit audit;

    @Inject
    TenantEvents events;

    @Inject
    BlobStore blobs;

    @Inject
    BlobDeletions blobDeletions;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    ClusterEvents cluster;

    @Inject
    ClusterConfig clusterConfig;

    @Inject
    jakarta.enterprise.inject.Instance<ModelVersionUse> versionUses;

    private record AliasKey(TenantId tenant, String model) {}

    /** Cluster event: a model (payload: tenant/model) was deleted; its loaded versions are freed on every node. */
    public static final String MODEL_DELETED = "model-deleted";

    /**
     * Cluster event: a version's file was purged (payload: tenant/version/model); nothing can load it any more, so
     * every node frees the copy it has loaded instead of keeping it until it is evicted.
     */
    public static final String MODEL_VERSION_PURGED = "model-version-purged";

    @Inject
    Event<ModelDeleted> modelDeleted;

    @Inject
    Event<AliasMoved> aliasMoved;

    private InvalidatedCache<AliasKey, Map<String, VersionRef>> aliasCache;

    @PostConstruct
    void init() {
        aliasCache = new InvalidatedCache<>(cluster, clusterConfig);
        cluster.subscribe(ALIASES_CHANGED, payload -> {
            int slash = payload.indexOf('/');
            aliasCache.invalidate(
                    new AliasKey(new TenantId(payload.substring(0, slash)), payload.substring(slash + 1)));
        });
        cluster.subscribe(
                TenantService.TENANT_DELETED,
                tenant -> aliasCache.invalidateKeysIf(k -> k.tenant().value().equals(tenant)));
    }

    private void aliasesChanged(String model) {
        cluster.publish(ALIASES_CHANGED, tenantContext.require().value() + "/" + model);
    }

    /**
     * Registers a trained model (accepted or rejected) and, when {@code promote}, points {@code production}
     * at it in the same transaction. Idempotent by training id: a redone training gets its first version back.
     */
    @Transactional
    public ModelVersionView register(NewModelVersion candidate, boolean promote) {
        TenantId tenant = tenantContext.require();
        Optional<ModelVersionEntity> existing =
                ModelVersionEntity.find("trainingId", candidate.trainingId()).firstResultOptional();
        if (existing.isPresent()) {
            return view(existing.get());
        }
        BlobKey key = BlobKey.of(
                "models", candidate.model(), "training-" + candidate.trainingId() + "." + ModelArtifact.FORMAT);
        StoredBlob stored;
        try {
            stored = blobs.put(tenant, key, new ByteArrayInputStream(candidate.file()));
        } catch (IOException e) {
            throw new UncheckedIOException("model file could not be stored", e);
        }
        Integer last = newestVersion(candidate.model());
        ModelVersionEntity entity = new ModelVersionEntity();
        entity.id = UUID.randomUUID();
        entity.model = candidate.model();
        entity.version = last == null ? 1 : last + 1;
        entity.trainingId = candidate.trainingId();
        entity.status = (candidate.accepted() ? VersionStatus.ACCEPTED : VersionStatus.REJECTED).wireName();
        entity.reason = candidate.reason();
        entity.createdAt = clock.instant();
        entity.dataset = candidate.dataset().name();
        entity.datasetVersion = candidate.dataset().version();
        entity.datasetSha256 = candidate.dataset().sha256();
        entity.objective = candidate.objective().wireName();
        entity.params = write(candidate.params());
        entity.seed = candidate.seed();
        entity.metrics = write(candidate.metrics());
        entity.baseline = write(candidate.baseline());
        entity.gate = write(candidate.gate());
        entity.featureImportance = write(candidate.featureImportance());
        entity.transform = candidate.transform().toJson();
        entity.target = write(candidate.target());
        entity.artifactKey = key.path();
        entity.artifactSha256 = stored.sha256();
        entity.artifactBytes = stored.bytes();
        entity.artifactFormat = ModelArtifact.FORMAT;
        entity.provenance = write(candidate.provenance());
        entity.warnings = candidate.warnings() == null ? List.of() : candidate.warnings();
        entity.persist();
        if (promote && candidate.accepted()) {
            move(
                    candidate.model(),
                    PRODUCTION,
                    entity.version,
                    "auto-promoted by training " + candidate.trainingId(),
                    AliasMoved.Cause.AUTO_PROMOTION,
                    candidate.trainingId());
        }
        return view(entity);
    }

    public Optional<ModelVersionView> versionOfTraining(UUID trainingId) {
        return ModelVersionEntity.<ModelVersionEntity>find("trainingId", trainingId)
                .firstResultOptional()
                .map(this::view);
    }

    public boolean hasVersions(String model) {
        return ModelVersionEntity.count("model", model) > 0;
    }

    /** Whether the model has this version (for the current tenant); a filter naming another one is a bad request. */
    public boolean hasVersion(String model, int version) {
        return ModelVersionEntity.count("model = ?1 and version = ?2", model, version) > 0;
    }

    /** A model's versions by number, oldest first. */
    public Page<ModelVersionView> versions(String model, PageRequest page) {
        List<String> after = page.after("model-versions", 1);
        int from = after == null ? 0 : PageRequest.value(after.get(0), Integer::parseInt);
        List<ModelVersionView> rows = ModelVersionEntity.<ModelVersionEntity>find(
                        "model = ?1 and version > ?2 order by version", model, from)
                .range(0, page.limit())
                .list()
                .stream()
                .map(this::view)
                .toList();
        return page.page(rows, "model-versions", v -> List.of(Integer.toString(v.version())));
    }

    /** @throws ProblemException 404 when the model has no such version (for this tenant) */
    public ModelVersionView version(String model, int version) {
        return view(entity(model, version));
    }

    /**
     * The version's figures only: unlike {@link #version}, it parses no transform (its category dictionaries may be
     * large) and reads no aliases, so a page of models can show each one's production version.
     *
     * @throws ProblemException 404 when the model has no such version (for this tenant)
     */
    public ModelVersionSummary summary(String model, int version) {
        ModelVersionEntity e = entity(model, version);
        return new ModelVersionSummary(
                e.version,
                e.createdAt,
                VersionStatus.fromWire(e.status),
                e.approvedAt != null,
                read(e.metrics, new TypeReference<Map<String, Double>>() {}),
                new ModelVersionView.DatasetLineage(e.dataset, e.datasetVersion, e.datasetSha256));
    }

    /** Alias name to version for a model. */
    public Map<String, Integer> aliases(String model) {
        Map<String, Integer> aliases = new LinkedHashMap<>();
        ModelAliasEntity.<ModelAliasEntity>list("model", Sort.by("alias"), model)
                .forEach(a -> aliases.put(a.alias, a.version));
        return aliases;
    }

    /**
     * The version an alias points to now, from memory on the prediction path. Every alias change publishes
     * {@link #ALIASES_CHANGED} in its transaction, so this node sees it from the commit on and other nodes
     * from the notification (milliseconds later).
     */
    public Optional<Integer> aliasVersion(String model, String alias) {
        return aliasRef(model, alias).map(VersionRef::version);
    }

    /** {@link #aliasVersion}, with the id of the version's row (what the serving cache is keyed by). */
    public Optional<VersionRef> aliasRef(String model, String alias) {
        TenantId tenant = tenantContext.require();
        Map<String, VersionRef> aliases = aliasCache.get(new AliasKey(tenant, model), k -> aliasRefs(model));
        return aliases == null ? Optional.empty() : Optional.ofNullable(aliases.get(alias));
    }

    /**
     * The version an alias points to if this node knows it without asking the database (empty when the
     * model's aliases are not in memory, or the alias is not set); never blocks.
     */
    public Optional<VersionRef> knownAliasRef(String model, String alias) {
        Map<String, VersionRef> aliases = aliasCache.getIfPresent(new AliasKey(tenantContext.require(), model));
        return aliases == null ? Optional.empty() : Optional.ofNullable(aliases.get(alias));
    }

    /**
     * A model's aliases with their versions' ids, or null when it has none: a name without aliases (most
     * often one that does not exist) is never cached, so requests for made-up names cannot fill the
     * shared cache and evict other tenants' entries.
     */
    private Map<String, VersionRef> aliasRefs(String model) {
        List<Object[]> rows = ModelAliasEntity.getEntityManager()
                .createQuery(
                        "select a.alias, v.version, v.id from ModelAliasEntity a, ModelVersionEntity v"
                                + " where a.model = :model and v.model = a.model and v.version = a.version",
                        Object[].class)
                .setParameter("model", model)
                .getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, VersionRef> aliases = new LinkedHashMap<>();
        for (Object[] row : rows) {
            aliases.put((String) row[0], new VersionRef((Integer) row[1], (UUID) row[2]));
        }
        return Map.copyOf(aliases);
    }

    /** Entries in the alias cache of this node, for tests and diagnostics. */
    public long cachedAliasEntries() {
        return aliasCache.size();
    }

    /**
     * @throws ProblemException 404 when the model has no such version (for this tenant), 410 when its file was
     *     purged
     */
    public VersionRef versionRef(String model, int version) {
        ModelVersionEntity entity = requireFile(model, entity(model, version));
        return new VersionRef(entity.version, entity.id);
    }

    /**
     * Holds the version's file against a purge until the caller's transaction ends, for a job queued in it that will
     * load the version: the purge locks the version's row for update and then checks what still needs the file
     * ({@link ModelVersionUse}), so it either sees the job or committed first, and then this answers 410.
     *
     * @throws ProblemException 404 for an unknown version, 410 for a purged one
     */
    public void holdAgainstPurge(String model, int version) {
        requireFile(model, entity(model, version, LockModeType.PESSIMISTIC_READ));
    }

    /**
     * Points {@code alias} at a version that passed its gate or was approved (rollback is moving production
     * back), recording who and when. The version row is read with a share lock, so an approval revoked at
     * the same time either sees this alias or waits for it.
     */
    @Transactional
    public ModelVersionView moveAlias(String model, String alias, int version, String reason) {
        checkAlias(alias);
        ModelVersionEntity target = requireFile(model, entity(model, version, LockModeType.PESSIMISTIC_READ));
        if (VersionStatus.fromWire(target.status) != VersionStatus.ACCEPTED && target.approvedAt == null) {
            throw ProblemException.conflict(
                    "version-rejected",
                    "version " + version + " of model '" + model + "' was rejected by its gate (" + target.reason
                            + ") and is not approved; an alias cannot point at it until an admin approves it"
                            + " (POST .../versions/" + version + "/approval)");
        }
        move(model, alias, version, reason == null ? "moved by API" : reason, AliasMoved.Cause.API, null);
        return view(target);
    }

    /** The system actor of an automatic rollback (audit entries, alias history, the event's actor). */
    public static final String ROLLBACK_ACTOR = "rollback-watch";

    /**
     * The platform moves {@code alias} back from {@code from} to {@code to} on its own (a watched automatic
     * promotion performed worse than the version before it), in the caller's transaction: recorded with
     * {@code reason} and the system actor {@link #ROLLBACK_ACTOR} on the alias history and the audit trail, and
     * published as {@code model.rolled_back}. A compare-and-set: nothing happens unless the alias still names
     * {@code from} (read under the alias row's lock) and {@code to} passed its gate or is approved.
     *
     * @return whether the alias moved
     */
    @Transactional
    public boolean rollBack(String model, String alias, int from, int to, String reason) {
        checkAlias(alias);
        // the name before the row, as every move takes them (else a move and a rollback could deadlock)
        lockAliasName(model, alias);
        Optional<ModelAliasEntity> current = ModelAliasEntity.<ModelAliasEntity>find(
                        "model = ?1 and alias = ?2", model, alias)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
        if (current.isEmpty() || current.get().version != from) {
            return false;
        }
        Optional<ModelVersionEntity> target = ModelVersionEntity.<ModelVersionEntity>find(
                        "model = ?1 and version = ?2", model, to)
                .withLock(LockModeType.PESSIMISTIC_READ)
                .firstResultOptional();
        if (target.isEmpty()
                || target.get().purgedAt != null
                || (VersionStatus.fromWire(target.get().status) != VersionStatus.ACCEPTED
                        && target.get().approvedAt == null)) {
            return false;
        }
        move(model, alias, to, reason, AliasMoved.Cause.AUTOMATIC_ROLLBACK, null);
        return true;
    }

    /**
     * A person accepts a version its gate rejected, so that an alias may point at it; recorded on the
     * version (who, when, why) and on the audit trail, in one transaction.
     *
     * @throws ProblemException 409 when the version passed its gate (nothing to approve) or is approved already
     */
    @Transactional
    public ModelVersionView approve(String model, int version, String reason) {
        ModelVersionEntity entity = requireFile(model, entity(model, version, LockModeType.PESSIMISTIC_WRITE));
        if (VersionStatus.fromWire(entity.status) == VersionStatus.ACCEPTED) {
            throw ProblemException.conflict(
                    "version-accepted",
                    "version " + version + " of model '" + model + "' passed its gate; it needs no approval");
        }
        if (entity.approvedAt != null) {
            throw ProblemException.conflict(
                    "version-approved",
                    "version " + version + " of model '" + model + "' was approved already by " + entity.approvedBy
                            + " at " + entity.approvedAt);
        }
        entity.approvedBy = principal.actor();
        entity.approvedAt = clock.instant();
        entity.approvalReason = reason;
        audit.record(
                "model.version.approved",
                "model=" + model + ", version=" + version,
                Audit.summary("reason", reason, "gateReason", entity.reason));
        return view(entity);
    }

    /**
     * Withdraws an approval. Refused while an alias names the version (the version row is locked first, so an
     * alias move at the same time is either seen here or sees the revocation).
     *
     * @throws ProblemException 404 when the version has no approval, 409 while an alias points at it
     */
    @Transactional
    public void revokeApproval(String model, int version) {
        ModelVersionEntity entity = entity(model, version, LockModeType.PESSIMISTIC_WRITE);
        if (entity.approvedAt == null) {
            throw ProblemException.notFound("version " + version + " of model '" + model + "' has no approval");
        }
        List<String> aliases =
                ModelAliasEntity.<ModelAliasEntity>list("model = ?1 and version = ?2", Sort.by("alias"), model, version)
                        .stream()
                        .map(a -> a.alias)
                        .toList();
        if (!aliases.isEmpty()) {
            throw ProblemException.conflict(
                    "version-aliased",
                    "version " + version + " of model '" + model + "' is named by alias(es) " + aliases
                            + "; move them to another version before revoking its approval");
        }
        String was = entity.approvedBy;
        entity.approvedBy = null;
        entity.approvedAt = null;
        entity.approvalReason = null;
        audit.record(
                "model.version.approval-revoked",
                "model=" + model + ", version=" + version,
                Audit.summary("approvedBy", was));
    }

    @Transactional
    public void deleteAlias(String model, String alias) {
        checkAlias(alias);
        ModelAliasEntity entity = ModelAliasEntity.<ModelAliasEntity>find("model = ?1 and alias = ?2", model, alias)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("model '" + model + "' has no alias '" + alias + "'"));
        record(model, alias, entity.version, null, "deleted by API", principal.actor());
        audit.record(
                "model.alias.deleted",
                "model=" + model + ", alias=" + alias,
                Audit.summary("from", Integer.toString(entity.version)));
        entity.delete();
        aliasesChanged(model);
        aliasMoved.fire(new AliasMoved(
                tenantContext.require(),
                model,
                alias,
                entity.version,
                null,
                AliasMoved.Cause.API,
                null,
                "deleted by API"));
    }

    /** A model's aliases by name, with the version each points to. */
    public Page<AliasView> aliasPage(String model, PageRequest page) {
        List<String> after = page.after("aliases", 1);
        List<ModelAliasEntity> rows = after == null
                ? ModelAliasEntity.<ModelAliasEntity>find("model = ?1 order by alias", model)
                        .range(0, page.limit())
                        .list()
                : ModelAliasEntity.<ModelAliasEntity>find(
                                "model = ?1 and alias > ?2 order by alias", model, after.get(0))
                        .range(0, page.limit())
                        .list();
        return page.page(
                rows.stream().map(a -> new AliasView(a.alias, a.version)).toList(), "aliases", a -> List.of(a.alias()));
    }

    /** Every recorded alias move of a model, oldest first; ties of time broken by id. */
    public Page<AliasEvent> aliasHistory(String model, PageRequest page) {
        List<String> after = page.after("alias-history", 2);
        List<ModelAliasEventEntity> rows = after == null
                ? ModelAliasEventEntity.<ModelAliasEventEntity>find("model = ?1 order by at, id", model)
                        .range(0, page.limit())
                        .list()
                : ModelAliasEventEntity.<ModelAliasEventEntity>find(
                                "model = ?1 and (at > ?2 or (at = ?2 and id > ?3)) order by at, id",
                                model,
                                PageRequest.instant(after.get(0)),
                                PageRequest.value(after.get(1), UUID::fromString))
                        .range(0, page.limit())
                        .list();
        return page.page(
                rows.stream()
                        .map(e -> new AliasEvent(e.id, e.alias, e.fromVersion, e.toVersion, e.actor, e.at, e.reason))
                        .toList(),
                "alias-history",
                e -> List.of(e.at().toString(), e.id().toString()));
    }

    /**
     * Loads a version's model file for prediction, checking its SHA-256 against the registry first.
     *
     * @throws TamperedModelException when the stored file does not match; it is never loaded
     */
    public LoadedModel load(String model, int version) {
        return load(model, entity(model, version));
    }

    /**
     * Loads exactly the version {@code ref} names: 404 when that row is gone, even if the model was created
     * again since and has a version of the same number.
     */
    public LoadedModel load(String model, VersionRef ref) {
        ModelVersionEntity entity = ModelVersionEntity.<ModelVersionEntity>find(
                        "id = ?1 and model = ?2 and version = ?3", ref.id(), model, ref.version())
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("model '" + model + "' has no version " + ref.version()));
        return load(model, entity);
    }

    private LoadedModel load(String model, ModelVersionEntity entity) {
        requireFile(model, entity);
        int version = entity.version;
        TenantId tenant = tenantContext.require();
        byte[] bytes;
        try (InputStream in = blobs.openVerified(tenant, new BlobKey(entity.artifactKey), entity.artifactSha256)) {
            bytes = in.readAllBytes();
        } catch (BlobStore.TamperedBlobException e) {
            throw new TamperedModelException("model file of '" + model + "' version " + version
                    + " refused: it does not match the SHA-256 recorded at registration (" + entity.artifactSha256
                    + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("model file of '" + model + "' version " + version + " cannot be read", e);
        }
        try {
            return ModelArtifact.read(bytes, entity.artifactSha256);
        } catch (XGBoostError e) {
            throw new IllegalStateException(
                    "model file of '" + model + "' version " + version + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** Forgets a model's versions, aliases and files (the model spec was deleted). */
    @Transactional
    public void deleteModel(String model) {
        modelDeleted.fire(new ModelDeleted(tenantContext.require(), model));
        ModelVersionEntity.delete("model", model);
        ModelAliasEntity.delete("model", model);
        aliasesChanged(model);
        cluster.publish(MODEL_DELETED, tenantContext.require().value() + "/" + model);
        // after the commit: a delete that rolls back keeps versions whose files must still load
        blobDeletions.deletePrefixAfterCommit(tenantContext.require(), "models/" + model + "/");
    }

    /**
     * An alias not yet made has no row to lock, so two moves at once would both create it: its name is locked
     * first, by every move (reentrant within the transaction).
     */
    private void lockAliasName(String model, String alias) {
        nameLocks.lock("model-alias", tenantContext.require(), model + "|" + alias);
    }

    /**
     * Writes the move, its history row, its audit entry and its event. The actor is the request's principal, else
     * the system part that decided: auto-promotion, or {@link #ROLLBACK_ACTOR} for an automatic rollback.
     */
    private void move(String model, String alias, int version, String reason, AliasMoved.Cause cause, UUID training) {
        lockAliasName(model, alias);
        Optional<ModelAliasEntity> current = ModelAliasEntity.<ModelAliasEntity>find(
                        "model = ?1 and alias = ?2", model, alias)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
        ModelAliasEntity entity = current.orElseGet(() -> {
            ModelAliasEntity created = new ModelAliasEntity();
            created.id = UUID.randomUUID();
            created.model = model;
            created.alias = alias;
            return created;
        });
        Integer from = current.map(a -> a.version).orElse(null);
        boolean rollback = cause == AliasMoved.Cause.AUTOMATIC_ROLLBACK;
        String systemActor = rollback ? ROLLBACK_ACTOR : "auto-promotion";
        // an automatic rollback is the platform's own decision, whoever's request ran the window that led to it
        String actor = rollback ? "system:" + ROLLBACK_ACTOR : principal.actor();
        // Put to the version it names already, the alias does not move: no history, no event, and a rollback watch
        // on it keeps watching. The request is still audited, as every admin write is.
        boolean moves = from == null || from != version;
        if (moves) {
            entity.version = version;
            entity.updatedAt = clock.instant();
            entity.updatedBy = actor;
            if (current.isEmpty()) {
                entity.persist();
            }
            record(model, alias, from, version, reason, actor);
        }
        Map<String, String> summary = Audit.summary(
                "from", from == null ? null : from.toString(), "to", Integer.toString(version), "reason", reason);
        if (rollback) {
            audit.append(new AuditDraft(
                    Optional.of(tenantContext.require()),
                    Actor.system(ROLLBACK_ACTOR),
                    UUID.randomUUID().toString(),
                    "model.alias.moved",
                    "model=" + model + ", alias=" + alias,
                    summary));
        } else {
            audit.record("model.alias.moved", "model=" + model + ", alias=" + alias, summary, systemActor);
        }
        if (moves) {
            aliasesChanged(model);
            publishMove(model, alias, from, version, reason, actor, rollback);
            aliasMoved.fire(
                    new AliasMoved(tenantContext.require(), model, alias, from, version, cause, training, reason));
        }
    }

    /**
     * {@code model.promoted} (set, or moved to a newer version) or {@code model.rolled_back} (moved to an older
     * one, or moved back by the platform), in the transaction of the move; moving an alias to where it points
     * already says nothing.
     */
    private void publishMove(
            String model, String alias, Integer from, int to, String reason, String actor, boolean rollback) {
        if (from != null && from == to) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("model", model);
        data.put("alias", alias);
        data.put("from", from);
        data.put("to", to);
        data.put("reason", reason);
        data.put("actor", actor);
        events.publish(
                rollback || (from != null && to < from) ? EventType.MODEL_ROLLED_BACK : EventType.MODEL_PROMOTED, data);
    }

    private void record(String model, String alias, Integer from, Integer to, String reason, String actor) {
        ModelAliasEventEntity event = new ModelAliasEventEntity();
        event.id = UUID.randomUUID();
        event.model = model;
        event.alias = alias;
        event.fromVersion = from;
        event.toVersion = to;
        event.actor = actor;
        event.at = clock.instant();
        event.reason = reason;
        event.persist();
    }

    private static void checkAlias(String alias) {
        if (!isAliasName(alias)) {
            throw ProblemException.badRequest("invalid-alias", aliasNameRule());
        }
    }

    /** Whether {@code alias} can name an alias at all (one that cannot is a 400, not "no such alias yet"). */
    public static boolean isAliasName(String alias) {
        return alias != null && ALIAS.matcher(alias).matches();
    }

    public static String aliasNameRule() {
        return "alias must match " + ALIAS.pattern();
    }

    /** How the audit trail and a purged version name the retention ("system:" + this). */
    private static final String RETENTION_SYSTEM = "model-retention";

    /**
     * Purges a version's model file, freeing its storage, and keeps its record: the version is still listed with its
     * metrics, gate, parameters, importance, transform, lineage and the file's hash and size, and says when and by
     * whom its file was purged. From then on it cannot be loaded, predicted with, batch-scored, approved or pointed
     * at by an alias (410). Purging a purged version changes nothing.
     *
     * @throws ProblemException 404 unknown model or version; 409 {@code latest-version} for the newest version (the
     *     one a training just registered, that a promotion or an approval looks at first); 409 {@code
     *     model-version-in-use} while an alias names it or something else still loads it ({@link ModelVersionUse}),
     *     each named in {@code usedBy}
     */
    public void purgeArtifact(String model, int version) {
        purge(model, version, PurgeReason.REQUESTED, principal.actor());
    }

    /**
     * Purges the files of the versions older than the model's newest {@code keepVersions}, oldest first, skipping
     * those still in use (a later pass, after the next version or change of the spec, finds them again). Called
     * after a version is registered, outside its transaction; its failure is logged, never thrown.
     */
    public void applyRetention(String model, int keepVersions) {
        TenantId tenant = tenantContext.require();
        List<Integer> beyond;
        try {
            beyond = QuarkusTransaction.requiringNew()
                    .call(() -> ModelVersionEntity.find(
                                    "select v.version from ModelVersionEntity v where v.model = ?1 and v.purgedAt is null"
                                            + " and v.version <= (select max(w.version) from ModelVersionEntity w"
                                            + " where w.model = ?1) - ?2 order by v.version",
                                    model,
                                    keepVersions)
                            .project(Integer.class)
                            .list());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Retention of model %s of tenant %s not applied", model, tenant);
            return;
        }
        for (int version : beyond) {
            try {
                purge(model, version, PurgeReason.RETENTION, "system:" + RETENTION_SYSTEM);
            } catch (ProblemException e) {
                LOG.debugf(
                        "Retention of model %s of tenant %s keeps version %d's file for now: %s",
                        model, tenant, version, e.problem().detail());
            } catch (RuntimeException e) {
                LOG.errorf(e, "Retention of model %s of tenant %s could not purge version %d", model, tenant, version);
            }
        }
    }

    /**
     * One transaction with the version's row locked for update: an alias move reads the version under a share lock,
     * so it either sees the purge and refuses, or is seen here as an alias. The file goes after the commit; a node
     * that dies in between leaves a file no version with a file names, which the sweep after start deletes
     * ({@code training.internal.ModelFilesSweep}).
     */
    private void purge(String model, int version, PurgeReason reason, String by) {
        TenantId tenant = tenantContext.require();
        QuarkusTransaction.requiringNew().run(() -> {
            ModelVersionEntity e = entity(model, version, LockModeType.PESSIMISTIC_WRITE);
            if (e.purgedAt != null) {
                return;
            }
            Integer latest = newestVersion(model);
            if (latest != null && latest == version) {
                throw new ProblemException(io.tenantml.shared.Problem.of(
                                409,
                                "latest-version",
                                "Conflict",
                                "version " + version + " is the newest of model '" + model + "': its file is kept"
                                        + " until a newer version exists")
                        .with("model", model)
                        .with("version", version));
            }
            List<String> usedBy = new ArrayList<>();
            ModelAliasEntity.<ModelAliasEntity>list("model = ?1 and version = ?2", Sort.by("alias"), model, version)
                    .forEach(a -> usedBy.add("alias " + a.alias + " names it"));
            for (ModelVersionUse use : versionUses) {
                usedBy.addAll(use.usesOf(model, version));
            }
            if (!usedBy.isEmpty()) {
                throw new ProblemException(io.tenantml.shared.Problem.of(
                                409,
                                "model-version-in-use",
                                "Conflict",
                                "the file of version " + version + " of model '" + model + "' is still needed: "
                                        + String.join("; ", usedBy))
                        .with("model", model)
                        .with("version", version)
                        .with("usedBy", usedBy));
            }
            e.purgedAt = clock.instant();
            e.purgedBy = by;
            e.purgeReason = reason.wireName();
            String action = "model.version.artifact.purged";
            String target = "model=" + model + ", version=" + version;
            Map<String, String> summary =
                    Audit.summary("reason", reason.wireName(), "bytes", Long.toString(e.artifactBytes));
            if (reason == PurgeReason.RETENTION) {
                audit.recordBySystem(action, target, summary, RETENTION_SYSTEM);
            } else {
                audit.record(action, target, summary);
            }
            blobDeletions.deleteAfterCommit(tenant, new BlobKey(e.artifactKey));
            cluster.publish(MODEL_VERSION_PURGED, tenant.value() + "/" + version + "/" + model);
        });
    }

    /** The files the model's versions with a file name (not purged ones'), for the sweep after start. */
    public java.util.Set<String> filesOfVersions(String model) {
        return java.util.Set.copyOf(ModelVersionEntity.find(
                        "select v.artifactKey from ModelVersionEntity v where v.model = ?1 and v.purgedAt is null",
                        model)
                .project(String.class)
                .list());
    }

    /** The model's highest version number, null before its first. */
    private static Integer newestVersion(String model) {
        return ModelVersionEntity.find("select max(v.version) from ModelVersionEntity v where v.model = ?1", model)
                .project(Integer.class)
                .firstResult();
    }

    /** The files the versions with a file of every model of the tenant name (one query, for the sweep after start). */
    public java.util.Set<String> filesOfVersions() {
        return java.util.Set.copyOf(
                ModelVersionEntity.find("select v.artifactKey from ModelVersionEntity v where v.purgedAt is null")
                        .project(String.class)
                        .list());
    }

    /** 410 for a version whose file was purged: its record is there, its model is not. */
    private static ModelVersionEntity requireFile(String model, ModelVersionEntity e) {
        if (e.purgedAt != null) {
            throw VersionPurge.gone(
                    "model-version-purged",
                    "model",
                    model,
                    e.version,
                    e.purgedAt,
                    "the file of version " + e.version + " of model '" + model + "' was purged at " + e.purgedAt + " ("
                            + e.purgeReason + "); its record, metrics and lineage remain");
        }
        return e;
    }

    private ModelVersionEntity entity(String model, int version) {
        return ModelVersionEntity.<ModelVersionEntity>find("model = ?1 and version = ?2", model, version)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.notFound("model '" + model + "' has no version " + version));
    }

    /**
     * The version's row locked, as it is once the lock is granted. Read again under the lock rather than by a locked
     * query: a query hands back the copy an earlier read in the transaction left in the persistence context (a
     * batch's submit resolves its version first), which predates a purge or approval that committed while the lock
     * was awaited.
     */
    private ModelVersionEntity entity(String model, int version, LockModeType lock) {
        ModelVersionEntity e = entity(model, version);
        ModelVersionEntity.getEntityManager().refresh(e, lock);
        return e;
    }

    private ModelVersionView view(ModelVersionEntity e) {
        List<String> aliases = new ArrayList<>();
        ModelAliasEntity.<ModelAliasEntity>list("model = ?1 and version = ?2", Sort.by("alias"), e.model, e.version)
                .forEach(a -> aliases.add(a.alias));
        return new ModelVersionView(
                e.model,
                e.version,
                e.createdAt,
                e.trainingId,
                VersionStatus.fromWire(e.status),
                e.reason,
                new ModelVersionView.DatasetLineage(e.dataset, e.datasetVersion, e.datasetSha256),
                Objective.fromWire(e.objective),
                read(e.params, XGBoostParams.class),
                e.seed,
                read(e.metrics, new TypeReference<Map<String, Double>>() {}),
                read(e.baseline, new TypeReference<Map<String, Double>>() {}),
                read(e.gate, GateDecision.class),
                read(e.featureImportance, new TypeReference<Map<String, Double>>() {}),
                FeatureTransform.fromJson(e.transform),
                read(e.target, TargetEncoding.class),
                new ModelVersionView.Artifact(
                        e.artifactSha256,
                        e.artifactBytes,
                        e.artifactFormat,
                        e.purgedAt == null
                                ? null
                                : new VersionPurge(e.purgedAt, e.purgedBy, PurgeReason.fromWire(e.purgeReason))),
                read(e.provenance, ModelProvenance.class),
                aliases,
                e.warnings,
                e.approvedAt == null
                        ? null
                        : new ModelVersionView.Approval(e.approvedBy, e.approvedAt, e.approvalReason));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("registry row unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("registry row unreadable: " + e.getOriginalMessage(), e);
        }
    }

    Instant now() {
        return clock.instant();
    }
}
