package io.tenantml.dataset.internal;

import io.quarkus.hibernate.orm.panache.Panache;
import io.tenantml.shared.ProblemException;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Database side of datasets. Every method runs in the current tenant (Hibernate's tenant discriminator
 * filters the queries; the two native inserts name the tenant explicitly).
 */
@ApplicationScoped
public class DatasetStore {

    @Inject
    TenantContext tenantContext;

    @Inject
    EntityManager em;

    public Optional<DatasetEntity> dataset(String name) {
        return DatasetEntity.find("name", name).firstResultOptional();
    }

    /** Up to {@code count} datasets by name, after {@code afterName} (null: from the first). */
    public List<DatasetEntity> datasets(String afterName, int count) {
        return afterName == null
                ? DatasetEntity.<DatasetEntity>find("order by name")
                        .range(0, count - 1)
                        .list()
                : DatasetEntity.<DatasetEntity>find("name > ?1 order by name", afterName)
                        .range(0, count - 1)
                        .list();
    }

    public List<DatasetVersionEntity> versions(UUID datasetId) {
        return DatasetVersionEntity.list("datasetId = ?1 order by version", datasetId);
    }

    /** Up to {@code count} versions of a dataset by number, after {@code afterVersion}. */
    public List<DatasetVersionEntity> versions(UUID datasetId, int afterVersion, int count) {
        return DatasetVersionEntity.<DatasetVersionEntity>find(
                        "datasetId = ?1 and version > ?2 order by version", datasetId, afterVersion)
                .range(0, count - 1)
                .list();
    }

    public Optional<DatasetVersionEntity> version(UUID datasetId, int version) {
        return DatasetVersionEntity.find("datasetId = ?1 and version = ?2", datasetId, version)
                .firstResultOptional();
    }

    public Optional<DatasetVersionEntity> latest(UUID datasetId) {
        return DatasetVersionEntity.find("datasetId = ?1 order by version desc", datasetId)
                .firstResultOptional();
    }

    /**
     * The newest version and how many versions there are, from one statement and so from one snapshot: read by
     * two, an upload committing between them made a dataset show {@code versionCount} N beside latest version
     * N-1. Versions are numbered 1, 2, ... and never deleted one by one, so the two always agree.
     */
    public LatestVersion latestWithCount(UUID datasetId) {
        List<Object[]> rows = em.createQuery(
                        "select v, (select count(w) from DatasetVersionEntity w where w.datasetId = v.datasetId) "
                                + "from DatasetVersionEntity v where v.datasetId = :d order by v.version desc",
                        Object[].class)
                .setParameter("d", datasetId)
                .setMaxResults(1)
                .getResultList();
        return rows.isEmpty()
                ? new LatestVersion(Optional.empty(), 0)
                : new LatestVersion(Optional.of((DatasetVersionEntity) rows.get(0)[0]), (Long) rows.get(0)[1]);
    }

    /** A dataset's newest version (empty before the first upload) and its number of versions, read together. */
    public record LatestVersion(Optional<DatasetVersionEntity> latest, long count) {}

    public Optional<DatasetVersionEntity> versionById(UUID id) {
        return DatasetVersionEntity.find("id", id).firstResultOptional();
    }

    /** The stored column sketches of a version (a query, so that the tenant restriction applies). */
    public Optional<byte[]> sketches(UUID versionId) {
        return DatasetVersionSketchEntity.<DatasetVersionSketchEntity>find("versionId", versionId)
                .firstResultOptional()
                .map(s -> s.sketches);
    }

    /**
     * Every rows and quarantine file the versions with rows of the tenant's datasets name (one query for a whole
     * tenant); a purged version's files are free to delete.
     */
    public java.util.Set<String> referencedBlobKeys() {
        return keys(em.createQuery(
                        "select v.blobKey, v.quarantineKey from DatasetVersionEntity v where v.purgedAt is null",
                        Object[].class)
                .getResultList());
    }

    /** The rows and quarantine files the versions with rows of one dataset name. */
    public java.util.Set<String> referencedBlobKeys(UUID datasetId) {
        return keys(em.createQuery(
                        "select v.blobKey, v.quarantineKey from DatasetVersionEntity v where v.datasetId = :d"
                                + " and v.purgedAt is null",
                        Object[].class)
                .setParameter("d", datasetId)
                .getResultList());
    }

    private static java.util.Set<String> keys(List<Object[]> rows) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Object[] row : rows) {
            for (Object key : row) {
                if (key != null) {
                    keys.add((String) key);
                }
            }
        }
        return keys;
    }

    /** The versions, oldest first, that still have their rows and are older than the newest {@code keep}. */
    public List<Integer> versionsWithRowsBeyond(UUID datasetId, int keep) {
        return em.createQuery(
                        "select v.version from DatasetVersionEntity v where v.datasetId = :d and v.purgedAt is null"
                                + " and v.version <= (select max(w.version) from DatasetVersionEntity w"
                                + " where w.datasetId = :d) - :keep order by v.version",
                        Integer.class)
                .setParameter("d", datasetId)
                .setParameter("keep", keep)
                .getResultList();
    }

    /** Creates the dataset if it does not exist (race-free), then returns it locked for this transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public DatasetEntity lockOrCreate(String name, String policyJson, Instant now) {
        em.createNativeQuery("insert into dataset (id, tenant_id, name, policy_json, created_at, updated_at) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?5) on conflict (tenant_id, name) do nothing")
                .setParameter(1, UUID.randomUUID())
                .setParameter(2, tenantContext.require().value())
                .setParameter(3, name)
                .setParameter(4, policyJson)
                .setParameter(5, now)
                .executeUpdate();
        return DatasetEntity.<DatasetEntity>find("name", name)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /** The dataset locked for a new version, if it exists (never creates it). */
    public Optional<DatasetEntity> lock(String name) {
        return DatasetEntity.<DatasetEntity>find("name", name)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    public int nextVersion(UUID datasetId) {
        Integer max = em.createQuery(
                        "select max(v.version) from DatasetVersionEntity v where v.datasetId = :d", Integer.class)
                .setParameter("d", datasetId)
                .getSingleResult();
        return max == null ? 1 : max + 1;
    }

    /**
     * Claims an idempotency key; empty if this call claimed it, otherwise the existing claim. A claim of the
     * same request that never completed and is older than {@code lease} (its node died mid-upload) is taken
     * over: it gets a new id, so the old owner, should it still be alive, can no longer complete it.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public ClaimResult claim(String key, String datasetName, String requestSha256, Instant now, Duration lease) {
        UUID id = UUID.randomUUID();
        int inserted = em.createNativeQuery(
                        "insert into dataset_idempotency (id, tenant_id, idempotency_key, dataset_name, "
                                + "request_sha256, created_at) values (?1, ?2, ?3, ?4, ?5, ?6) "
                                + "on conflict (tenant_id, idempotency_key) do nothing")
                .setParameter(1, id)
                .setParameter(2, tenantContext.require().value())
                .setParameter(3, key)
                .setParameter(4, datasetName)
                .setParameter(5, requestSha256)
                .setParameter(6, now)
                .executeUpdate();
        if (inserted == 1) {
            return new ClaimResult(id, null);
        }
        // created_at is when the claim was (last) taken; the update is conditional, so of two retries racing
        // for an expired claim exactly one takes it.
        int taken = em.createNativeQuery("update dataset_idempotency set id = ?1, created_at = ?2 "
                        + "where tenant_id = ?3 and idempotency_key = ?4 and request_sha256 = ?5 "
                        + "and version_id is null and created_at < ?6")
                .setParameter(1, id)
                .setParameter(2, now)
                .setParameter(3, tenantContext.require().value())
                .setParameter(4, key)
                .setParameter(5, requestSha256)
                .setParameter(6, now.minus(lease))
                .executeUpdate();
        if (taken == 1) {
            return new ClaimResult(id, null);
        }
        IdempotencyEntity existing =
                IdempotencyEntity.find("idempotencyKey", key).firstResult();
        return new ClaimResult(null, existing);
    }

    public record ClaimResult(UUID claimed, IdempotencyEntity existing) {}

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void release(UUID claimId) {
        IdempotencyEntity.<IdempotencyEntity>find("id", claimId)
                .firstResultOptional()
                .filter(c -> c.versionId == null)
                .ifPresent(IdempotencyEntity::delete);
    }

    /**
     * Records the answer to the claim's request: the version it created, or ({@code unchanged}) the latest version
     * it was identical to.
     *
     * @throws ProblemException 409 when the claim expired and a retry took it over (the caller rolls back)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completeClaim(UUID claimId, UUID versionId, boolean unchanged) {
        IdempotencyEntity claim = IdempotencyEntity.<IdempotencyEntity>find("id", claimId)
                .firstResultOptional()
                .orElseThrow(() -> ProblemException.conflict(
                        "idempotency-claim-expired",
                        "This upload took longer than its Idempotency-Key lease and a retry took the key over"));
        claim.versionId = versionId;
        claim.unchanged = unchanged;
    }

    @Transactional
    public void deleteDataset(UUID datasetId) {
        // Entity by entity, so that the tenant restriction applies to what is loaded and deleted.
        for (DatasetVersionEntity v : versions(datasetId)) {
            for (IdempotencyEntity claim : IdempotencyEntity.<IdempotencyEntity>list("versionId", v.id)) {
                claim.delete();
            }
            v.delete();
        }
        DatasetEntity.<DatasetEntity>find("id", datasetId).firstResultOptional().ifPresent(DatasetEntity::delete);
        Panache.getEntityManager().flush();
    }
}
