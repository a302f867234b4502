package io.tenantml.experts.internal;

import io.tenantml.experts.RecommenderSpec;
import io.tenantml.tenancy.TenantOwnedEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "recommender")
public class RecommenderEntity extends TenantOwnedEntity {

    @Id
    public UUID id;

    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    public RecommenderSpec spec;

    /** The build whose generation answers; moved only in the transaction that finishes a build. */
    public UUID currentBuild;

    public Instant createdAt;
    public Instant updatedAt;
    public String updatedBy;
}
