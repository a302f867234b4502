package io.tenantml.audit.internal;

import io.quarkus.runtime.BlockingOperationControl;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tenantml.audit.Actor;
import io.tenantml.audit.Audit;
import io.tenantml.audit.AuditDraft;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.shared.NotAudited;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.rest.RouteCatalogue;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Records every successful mutating request of the platform's API, so that no endpoint can be forgotten:
 * a POST, PUT, PATCH or DELETE answered 2xx is an entry (action = method and route template, target = the
 * path parameters) unless the request's own code already recorded a richer one, or the method is
 * {@link NotAudited}. Such an entry is written after the change committed (in its own transaction), so a
 * change that rolled back never has one; a crash between the commit and this write loses the entry, which is
 * why changes that matter most record theirs in their own transaction ({@link Audit#record}). Paths without
 * a tenant, and the tenant resource itself (onboarding, offboarding), go to the platform's chain.
 */
public class AuditFilter {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String TENANT = "tenant";
    private static final Set<String> TENANT_LIFECYCLE = Set.of("/api/v1/tenants", "/api/v1/tenants/{tenant}");
    private static final Logger LOG = Logger.getLogger(AuditFilter.class);

    @Inject
    AuditRequest auditRequest;

    @Inject
    CurrentPrincipal principal;

    @Inject
    Audit audit;

    @ServerRequestFilter(nonBlocking = true, priority = 1)
    public void begin(ContainerRequestContext request) {
        auditRequest.begin(request.getHeaderString(REQUEST_ID_HEADER));
    }

    @ServerResponseFilter
    public Uni<Void> record(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        Method method = RouteCatalogue.ownMethod(resource);
        if (method == null) {
            return Uni.createFrom().voidItem();
        }
        boolean audited = MUTATING.contains(request.getMethod()) && !method.isAnnotationPresent(NotAudited.class);
        // Reads and the data plane answer with an id only when the client sent one: no id is made per prediction.
        if (audited || auditRequest.hasId()) {
            response.getHeaders().putSingle(REQUEST_ID_HEADER, auditRequest.requestId());
        }
        int status = response.getStatus();
        if (!audited
                || status < 200
                || status > 299
                || auditRequest.recorded()
                || principal.get().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String template = RouteCatalogue.template(resource.getResourceClass(), method);
        MultivaluedMap<String, String> params = request.getUriInfo().getPathParameters();
        String pathTenant = params.getFirst(TENANT);
        boolean platform = pathTenant == null || TENANT_LIFECYCLE.contains(template);
        StringJoiner target = new StringJoiner(", ");
        for (Map.Entry<String, List<String>> p : new TreeMap<>(params).entrySet()) {
            if (platform || !TENANT.equals(p.getKey())) {
                target.add(p.getKey() + "=" + String.join(",", p.getValue()));
            }
        }
        Map<String, String> summary = new TreeMap<>();
        summary.put("status", Integer.toString(status));
        Object location = response.getHeaders().getFirst("Location");
        if (location != null) {
            summary.put("location", location.toString());
        }
        Actor actor = Audit.of(principal.get().get());
        AuditDraft draft = new AuditDraft(
                platform ? Optional.empty() : Optional.of(new TenantId(pathTenant)),
                actor,
                auditRequest.requestId(),
                request.getMethod() + " " + template,
                target.toString(),
                summary);
        if (BlockingOperationControl.isBlockingAllowed()) {
            write(draft);
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom()
                .item(() -> {
                    write(draft);
                    return (Void) null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private void write(AuditDraft draft) {
        try {
            audit.append(draft);
        } catch (RuntimeException e) {
            // The change committed; its answer must say so, or a client retries a change that happened.
            LOG.errorf(
                    e,
                    "audit entry not written for %s %s (request %s)",
                    draft.action(),
                    draft.target(),
                    draft.requestId());
        }
    }
}
