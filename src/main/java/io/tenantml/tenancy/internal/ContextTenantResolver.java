package io.tenantml.tenancy.internal;

import io.quarkus.arc.Arc;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;
import io.tenantml.shared.TenantId;
import io.tenantml.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Hibernate's discriminator multitenancy asks this for the tenant of each new session. With no tenant in
 * context it answers a sentinel that no real tenant can have (ids start with a letter), so a session
 * opened without a tenant sees no tenant-owned rows and cannot insert one (the foreign key to
 * {@code tenant} refuses it).
 */
@PersistenceUnitExtension
@ApplicationScoped
class ContextTenantResolver implements TenantResolver {

    static final String NO_TENANT = "_none_";

    @Override
    public String getDefaultTenantId() {
        return NO_TENANT;
    }

    @Override
    public String resolveTenantId() {
        if (!Arc.container().requestContext().isActive()) {
            return NO_TENANT;
        }
        TenantContext context = Arc.container().instance(TenantContext.class).get();
        return context.current().map(TenantId::value).orElse(NO_TENANT);
    }
}
