package io.tenantml.serving.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A logged prediction, read-only here: rows are written in batches by PredictionLog. */
@Entity
@Immutable
@Table(name = "prediction_log")
public class PredictionLogEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String model;

    @Column(nullable = false)
    public int version;

    @Column(name = "predicted_at", nullable = false)
    public Instant predictedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String features;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String output;
}
