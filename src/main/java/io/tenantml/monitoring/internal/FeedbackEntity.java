package io.tenantml.monitoring.internal;

import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The last feedback for one prediction (upserted by FeedbackService). */
@Entity
@Table(name = "prediction_feedback")
public class FeedbackEntity extends TenantOwnedEntity {

    @Id
    @Column(name = "prediction_id")
    public UUID predictionId;

    @Column(nullable = false)
    public String model;

    public String label;

    public Double value;

    @Column(name = "observed_at", nullable = false)
    public Instant observedAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
