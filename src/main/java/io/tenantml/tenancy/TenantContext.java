package io.tenantml.tenancy;

import io.tenantml.shared.TenantId;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import org.jboss.logging.MDC;

/**
 * The tenant the current unit of work acts for. Requests set it from the verified credential (and the
 * authorised path); background jobs set it explicitly through {@link TenantScope}. It never has a
 * default, and once set it cannot be switched to another tenant within the same unit of work, so code
 * that reads it cannot be tricked into mixing two tenants' data.
 * <p>
 * While set, every log line of the unit of work carries the tenant id in the MDC under {@link #LOG_KEY} (a field
 * of the JSON log, {@code %X{tenantId}} in the text one): entering is the one step both requests and jobs pass,
 * so no log statement has to remember it. In a request the MDC lives in the request's Vert.x context and goes
 * with it; on a job's thread it is removed when the unit of work ends (here, and restored by {@link TenantScope}).
 */
@RequestScoped
public class TenantContext {

    /** The MDC key of the tenant id in log records. */
    public static final String LOG_KEY = "tenantId";

    private TenantId tenant;

    public void enter(TenantId tenantId) {
        if (tenant != null && !tenant.equals(tenantId)) {
            throw new IllegalStateException("tenant context already set to " + tenant + ", refusing " + tenantId);
        }
        tenant = tenantId;
        MDC.put(LOG_KEY, tenantId.value());
    }

    /** The unit of work ends: later lines on this thread are no longer the tenant's. */
    @PreDestroy
    void leave() {
        if (tenant != null) {
            MDC.remove(LOG_KEY);
        }
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
