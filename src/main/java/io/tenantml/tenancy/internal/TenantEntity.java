package io.tenantml.tenancy.internal;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The one table that is not tenant-owned: it is the list of tenants itself. */
@Entity
@Table(name = "tenant")
public class TenantEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    /** Where the tenant was declared: a {@link io.tenantml.tenancy.TenantSource} wire name. */
    @Column(nullable = false)
    public String source;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** {@code active}, or {@code leaving} once an offboarding began (see V80). */
    @Column(nullable = false)
    public String status = "active";
}
