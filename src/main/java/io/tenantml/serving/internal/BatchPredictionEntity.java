package io.tenantml.serving.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "batch_prediction")
public class BatchPredictionEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String model;

    @Column(nullable = false)
    public int version;

    @Column(nullable = false)
    public String dataset;

    @Column(name = "dataset_version", nullable = false)
    public int datasetVersion;

    @Column(name = "dataset_sha256", nullable = false)
    public String datasetSha256;

    @Column(name = "key_column")
    public String keyColumn;

    @Column(name = "rows_total", nullable = false)
    public long rowsTotal;

    @Column(name = "rows_done", nullable = false)
    public long rowsDone;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "results_key")
    public String resultsKey;

    @Column(name = "results_sha256")
    public String resultsSha256;

    /** When the results were complete; null until then. Precomputed lookups use the latest. */
    @Column(name = "results_at")
    public Instant resultsAt;
}
