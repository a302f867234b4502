package io.tenantml.tenancy;

import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * The tenant the current unit of work acts for. Requests set it from the verified credential (and the
 * authorised path); background jobs set it explicitly through {@link TenantScope}. It never has a
 * default, and once set it cannot be switched to another tenant within the same unit of work, so code
 * that reads it cannot be tricked into mixing two tenants' data.
 */
@RequestScoped
public class TenantContext {

    private TenantId tenant;

    public void enter(TenantId tenantId) {
        if (tenant != null && !tenant.equals(tenantId)) {
            throw new IllegalStateException("tenant context already set to " + tenant + ", refusing " + tenantId);
        }
        tenant = tenantId;
    }

    public Optional<TenantId> current() {
        return Optional.ofNullable(tenant);
    }

    /** The current tenant; fails loudly when tenant-owned data is touched without one. */
    public TenantId require() {
        if (tenant == null) {
            throw new IllegalStateException("no tenant in context: tenant-owned data needs an explicit tenant");
        }
        return tenant;
    }
}
