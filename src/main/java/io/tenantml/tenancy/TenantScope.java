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

    /**
     * The tenant whose work runs on this thread now (not inherited by threads it starts, unlike the MDC off a
     * Vert.x context): what {@code internal.TenantLogFilter} checks a job thread's log tenant against.
     */
    private static final ThreadLocal<String> WORKING_FOR = new ThreadLocal<>();

    /** Whether this thread is doing work of {@code tenant} through a TenantScope now. */
    public static boolean isWorkingFor(Object tenant) {
        return tenant != null && tenant.equals(WORKING_FOR.get());
    }

    @Inject
    TenantContext context;

    public <T> T callChecked(TenantId tenant, Callable<T> work) throws Exception {
        java.util.Objects.requireNonNull(tenant, "tenant");
        ManagedContext requestContext = Arc.container().requestContext();
        InjectableContext.ContextState outer = requestContext.isActive() ? requestContext.getState() : null;
        // the log lines of whatever ran this work (another tenant's request, a job) are its own again afterwards
        Object outerLogTenant = MDC.get(TenantContext.LOG_KEY);
        String outerWorkingFor = WORKING_FOR.get();
        if (outer != null) {
            requestContext.deactivate();
        }
        requestContext.activate();
        try {
            WORKING_FOR.set(tenant.value());
            context.enter(tenant);
            return work.call();
        } finally {
            if (outerWorkingFor != null) {
                WORKING_FOR.set(outerWorkingFor);
            } else {
                WORKING_FOR.remove();
            }
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
