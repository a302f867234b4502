package io.tenantml.dataset.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A stored version; never updated after insert (every column is final in SQL use) but for its purge: the three
 * {@code purged*} columns, set once when its rows are purged ({@code DatasetService#purgeRows}).
 */
@Entity
@Table(name = "dataset_version")
public class DatasetVersionEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    @Column(nullable = false, updatable = false)
    public UUID datasetId;

    @Column(nullable = false, updatable = false)
    public int version;

    @Column(nullable = false, updatable = false)
    public String sha256;

    @Column(nullable = false, updatable = false)
    public String blobKey;

    @Column(updatable = false)
    public String quarantineKey;

    @Column(nullable = false, updatable = false)
    public long rowCount;

    @Column(nullable = false, updatable = false)
    public long quarantinedRows;

    @Column(nullable = false, updatable = false)
    public String sourceFormat;

    @Column(name = "source_sha256", nullable = false, updatable = false)
    public String sourceSha256;

    @Column(nullable = false, updatable = false)
    public long sourceBytes;

    @Column(name = "schema_json", nullable = false, updatable = false)
    public String schemaJson;

    @Column(name = "profile_json", nullable = false, updatable = false)
    public String profileJson;

    @Column(name = "validation_json", nullable = false, updatable = false)
    public String validationJson;

    @Column(nullable = false, updatable = false)
    public Instant createdAt;

    /** Set only on versions the platform made by appending records (lineage); null on uploads. */
    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.JSON)
    @Column(updatable = false)
    public io.tenantml.dataset.VersionProvenance provenance;

    /** When the version's rows and quarantine files were purged; null while they are kept. */
    public Instant purgedAt;

    /** Who purged them: the admin ("role:subject") or {@code system:dataset-retention}. */
    public String purgedBy;

    /** Wire name of the {@link io.tenantml.shared.PurgeReason}. */
    public String purgeReason;
}
