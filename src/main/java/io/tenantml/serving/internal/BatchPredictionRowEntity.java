package io.tenantml.serving.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One precomputed prediction; rows are written with COPY by the batch job and only read here. */
@Entity
@Immutable
@Table(name = "batch_prediction_row")
public class BatchPredictionRowEntity extends TenantOwnedEntity {

    @Embeddable
    public record Key(
            @Column(name = "batch_id") UUID batchId,
            @Column(name = "row_key") String rowKey) implements Serializable {}

    @EmbeddedId
    public Key id;

    @Column(nullable = false)
    public double score;

    public String label;

    @JdbcTypeCode(SqlTypes.JSON)
    public String probabilities;
}
