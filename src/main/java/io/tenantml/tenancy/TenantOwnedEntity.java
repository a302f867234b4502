package io.tenantml.tenancy;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import org.hibernate.annotations.TenantId;

/**
 * Base of every tenant-owned entity. Hibernate's discriminator multitenancy fills {@code tenant_id} from
 * the {@link TenantContext} on insert and restricts every query to it; the column references
 * {@code tenant(id) ON DELETE CASCADE} in its migration, which offboarding relies on.
 */
@MappedSuperclass
public abstract class TenantOwnedEntity extends PanacheEntityBase {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;
}
