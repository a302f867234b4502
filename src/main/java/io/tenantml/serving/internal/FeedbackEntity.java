package io.tenantml.serving.internal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.TenantId;

import java.time.Instant;
import java.util.UUID;

/** The last feedback for one prediction (upserted by FeedbackService). */
@Entity
@Table(name = "prediction_feedback")
public class FeedbackEntity extends PanacheEntityBase {

    @Id
    @Column(name = "prediction_id")
    public UUID predictionId;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(nullable = false)
    public String model;

    public String label;

    public Double value;

    @Column(name = "observed_at", nullable = false)
    public Instant observedAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
