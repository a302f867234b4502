package io.tenantml.tenancy;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.tenantml.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import org.jboss.logging.MDC;

/**
 * Runs work on behalf of one tenant outside an HTTP request (Quartz jobs, start-up manifests). The work
 * gets a fresh request context, so it never inherits a tenant, a principal or a Hibernate session from
 * whatever ran before on the thread; any context that was active is restored afterwards.
 */
@ApplicationScoped
public class TenantScope {

    @Inject
    TenantContext context;

    public <T> T callChecked(TenantId tenant, Callable<T> work) throws Exception {
        java.util.Objects.requireNonNull(tenant, "tenant");
        ManagedContext requestContext = Arc.container().requestContext();
        InjectableContext.ContextState outer = requestContext.isActive() ? requestContext.getState() : null;
        // the log lines of whatever ran this work (another tenant's request, a job) are its own again afterwards
        Object outerLogTenant = MDC.get(TenantContext.LOG_KEY);
        if (outer != null) {
            requestContext.deactivate();
        }
        requestContext.activate();
        try {
            context.enter(tenant);
            return work.call();
        } finally {
            requestContext.terminate();
            if (outer != null) {
                requestContext.activate(outer);
            }
            if (outerLogTenant != null) {
                MDC.put(TenantContext.LOG_KEY, outerLogTenant);
            } else {
                MDC.remove(TenantContext.LOG_KEY);
            }
        }
    }

    public <T> T call(TenantId tenant, java.util.function.Supplier<T> work) {
        try {
            return callChecked(tenant, work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void run(TenantId tenant, Runnable work) {
        call(tenant, () -> {
            work.run();
            return null;
        });
    }
}
