package io.tenantml.tenancy.internal;

import io.quarkus.logging.LoggingFilter;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.tenancy.TenantScope;
import io.vertx.core.Vertx;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logging.MDC;

/**
 * Keeps a log line from carrying a tenant id it is not written for. Off a Vert.x context Quarkus keeps the MDC
 * in an {@code InheritableThreadLocal}, so a thread started inside a tenant's job (a pool that starts threads
 * lazily, a bean started on first use) begins with that job's tenant id and would keep it on every later line.
 * Before a line is written: on a Vert.x context the MDC is the request's own (never inherited) and is kept; off
 * one, a tenant id is kept only while the thread works for that tenant through {@link TenantScope}, and is
 * otherwise removed from the thread's MDC for good. Installed on the console handler
 * ({@code quarkus.log.console.filter=tenant-log}); it never drops a line.
 */
@LoggingFilter(name = "tenant-log")
public final class TenantLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        Object tenant = MDC.get(TenantContext.LOG_KEY);
        if (tenant != null && Vertx.currentContext() == null && !TenantScope.isWorkingFor(tenant)) {
            MDC.remove(TenantContext.LOG_KEY);
        }
        return true;
    }
}
