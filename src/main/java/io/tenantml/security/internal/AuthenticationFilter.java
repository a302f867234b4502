package io.tenantml.security.internal;

import io.quarkus.arc.All;
import io.tenantml.security.Access;
import io.tenantml.security.CredentialVerifier;
import io.tenantml.security.CredentialVerifier.Forbidden;
import io.tenantml.security.CredentialVerifier.Rejected;
import io.tenantml.security.CredentialVerifier.Verified;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.security.PlatformPrincipal;
import io.tenantml.shared.Problem;
import io.tenantml.shared.rest.ProblemMappers;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.tenancy.TenantId;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one authentication and authorisation step for every platform endpoint. It runs after routing (so
 * unknown routes stay 404) on the worker thread, and before any resource code:
 * <ol>
 *   <li>the bearer credential is verified by the first {@link CredentialVerifier} that accepts its shape;</li>
 *   <li>the principal's role must be allowed by {@link Access} (operators always are);</li>
 *   <li>on paths with {@code {tenant}}, a non-operator must belong to it, the tenant must exist, and the
 *       {@link TenantContext} is set to it: this is the only place a request's tenant is decided.</li>
 * </ol>
 */
public class AuthenticationFilter {

    public static final String TENANT_PATH_PARAM = "tenant";

    private final List<CredentialVerifier> verifiers;

    @Inject
    CurrentPrincipal currentPrincipal;
    @Inject
    TenantContext tenantContext;
    @Inject
    CredentialStore store;

    @Inject
    public AuthenticationFilter(@All List<CredentialVerifier> verifiers) {
        this.verifiers = verifiers.stream().sorted(Comparator.comparingInt(CredentialVerifier::priority)).toList();
    }

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || !method.getDeclaringClass().getName().startsWith("io.tenantml.")) {
            return null;
        }
        Access access = Optional.ofNullable(method.getAnnotation(Access.class))
                .orElse(method.getDeclaringClass().getAnnotation(Access.class));

        Optional<String> token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            return unauthorized("A bearer credential is required (Authorization: Bearer <API key or access token>)");
        }
        CredentialVerifier verifier = verifiers.stream().filter(v -> v.accepts(token.get())).findFirst().orElse(null);
        if (verifier == null) {
            return unauthorized("The credential is of no supported kind");
        }
        PlatformPrincipal principal;
        switch (verifier.verify(token.get())) {
            case Verified v -> principal = v.principal();
            case Rejected r -> {
                return unauthorized(r.reason());
            }
            case Forbidden f -> {
                return problem(Problem.of(403, "forbidden", "Forbidden", f.reason()));
            }
        }
        currentPrincipal.set(principal);

        if (access == null) {
            return problem(Problem.of(403, "forbidden", "Forbidden", "This endpoint declares no access rule"));
        }
        if (!principal.isOperator() && !Arrays.asList(access.value()).contains(principal.role())) {
            return problem(Problem.of(403, "forbidden", "Forbidden",
                    "The " + principal.role().wireName() + " role may not call " + request.getMethod() + " "
                            + request.getUriInfo().getPath()));
        }
        String pathTenant = request.getUriInfo().getPathParameters().getFirst(TENANT_PATH_PARAM);
        if (pathTenant != null) {
            boolean own = principal.tenant().map(t -> t.value().equals(pathTenant)).orElse(false);
            // Another tenant's path answers exactly like a tenant that does not exist: no existence leak.
            // An API key's own tenant exists (keys cascade-delete with it); other credentials are checked.
            boolean knownToExist = own && "api-key".equals(principal.credential());
            if ((!principal.isOperator() && !own) || !TenantId.isValid(pathTenant)
                    || (!knownToExist && !store.tenantExists(pathTenant))) {
                return problem(Problem.of(404, "not-found", "Not found", "No tenant '" + pathTenant + "'"));
            }
            tenantContext.enter(new TenantId(pathTenant));
        }
        return null;
    }

    private static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(problem(Problem.of(401, "unauthenticated", "Unauthenticated", detail)))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tenantml\"").build();
    }

    private static Response problem(Problem problem) {
        return ProblemMappers.toResponse(problem);
    }
}
