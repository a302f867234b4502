package io.tenantml.scheduling.internal;

import io.tenantml.scheduling.Run;
import io.tenantml.scheduling.RunKind;
import io.tenantml.scheduling.RunState;
import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A row of the run ledger. Updates write only the changed columns: a cancellation set by a request must never be
 * overwritten by the dispatcher's writes to the same row, and the other way round.
 */
@Entity
@DynamicUpdate
@Table(name = "run")
public class RunEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RunKind kind;

    @Column(nullable = false)
    public String subject;

    public boolean exclusive;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RunState state;

    public int attempts;
    public double progress;

    @Column(name = "cancel_requested")
    public boolean cancelRequested;

    public String node;

    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;

    public String incident;

    public Run view() {
        return new Run(
                id,
                tenantId,
                kind,
                subject,
                state,
                attempts,
                progress,
                cancelRequested,
                createdAt,
                startedAt,
                finishedAt,
                errorCode,
                errorMessage);
    }
}
