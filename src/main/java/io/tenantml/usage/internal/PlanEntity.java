package io.tenantml.usage.internal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A tenant's plan row; keyed by the tenant (one plan each), written by operators only. */
@Entity
@Table(name = "tenant_plan")
public class PlanEntity extends PanacheEntityBase {

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    /**
     * {@link PlanLimits} as JSON text: a mapped record needs a Hibernate FormatMapper the platform does not have
     * yet (the REST ObjectMapper is customised), so {@code Plans} writes it with its own mapper.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String limits;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;
}
