package io.tenantml.security.internal;

import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tenantml.security.CredentialVerifier;
import io.tenantml.security.CredentialVerifier.Forbidden;
import io.tenantml.security.CredentialVerifier.Rejected;
import io.tenantml.security.CredentialVerifier.Verification;
import io.tenantml.security.CredentialVerifier.Verified;
import io.tenantml.security.CurrentPrincipal;
import io.tenantml.security.PlatformPrincipal;
import io.tenantml.security.SecurityConfig;
import io.tenantml.security.internal.CredentialStore.TenantStanding;
import io.tenantml.shared.Access;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ReachesLeavingTenant;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.rest.ProblemMappers;
import io.tenantml.shared.rest.RouteCatalogue;
import io.tenantml.tenancy.TenantContext;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The one authentication and authorisation step for every platform endpoint. It runs after routing (so
 * unknown routes stay 404) and before any resource code, in two filters on the I/O thread:
 * <ol>
 *   <li>{@link #verify}: the bearer credential is verified by the first {@link CredentialVerifier} that
 *       accepts its shape: from memory when the verifier can (a known API key), else on a worker thread
 *       (database, identity provider), together with the existence check of the path's tenant;</li>
 *   <li>{@link #authorize}: the principal's role must be allowed by {@link Access} (operators always are);
 *       on paths with {@code {tenant}}, a non-operator must belong to it, the tenant must exist, and the
 *       {@link TenantContext} is set to it: this is the only place a request's tenant is decided.</li>
 * </ol>
 * Both run before the request body is read and before the hop to a worker thread, so a request with a
 * known key costs no blocking call and no extra thread switch, and a refused one never reaches a worker.
 */
public class AuthenticationFilter {

    public static final String TENANT_PATH_PARAM = "tenant";
    /** What step one found, for step two: a request property, because step one may end on another thread. */
    private static final String OUTCOME = AuthenticationFilter.class.getName() + ".outcome";
    /** The client address, for counting a failure found in step two. */
    private static final String ADDRESS = AuthenticationFilter.class.getName() + ".address";

    /**
     * The verification and, on tenant paths, whether that tenant exists (null when not needed).
     *
     * @param tenantLookedUp whether the path's tenant was looked up (an API key's own tenant needs no lookup: its
     *                       keys go with it)
     * @param tenant         the path's tenant as looked up, null when there is none
     */
    private record Outcome(Verification verification, boolean tenantLookedUp, TenantStanding tenant) {}

    private final List<CredentialVerifier> verifiers;

    @Inject
    CurrentPrincipal currentPrincipal;

    @Inject
    TenantContext tenantContext;

    @Inject
    CredentialStore store;

    @Inject
    FailedAuthenticationLimiter limiter;

    @Inject
    SecurityConfig securityConfig;

    @Inject
    public AuthenticationFilter(@All List<CredentialVerifier> verifiers) {
        this.verifiers = verifiers.stream()
                .sorted(Comparator.comparingInt(CredentialVerifier::priority))
                .toList();
    }

    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHENTICATION)
    public Uni<Response> verify(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        if (!ours(resource)) {
            return Uni.createFrom().nullItem();
        }
        String address = address(http);
        request.setProperty(ADDRESS, address);
        Optional<String> token = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        CredentialVerifier verifier = token.map(this::verifierFor).orElse(null);
        Optional<Verification> known = verifier == null ? Optional.empty() : verifier.verifyInMemory(token.get());
        // A key memory knows as valid costs nothing and is never throttled, nor is a credential that verified
        // recently; anything else from an address that used up its failed authentications is refused before a
        // lookup.
        if (known.isEmpty() || !(known.get() instanceof Verified)) {
            OptionalLong retryAfter = limiter.refusal(address, token.orElse(null));
            if (retryAfter.isPresent()) {
                return Uni.createFrom().item(tooManyFailures(retryAfter.getAsLong()));
            }
        }
        if (token.isEmpty()) {
            limiter.failed(address);
            return Uni.createFrom()
                    .item(unauthorized(
                            "A bearer credential is required (Authorization: Bearer <API key or access token>)"));
        }
        if (verifier == null) {
            limiter.failed(address);
            return Uni.createFrom().item(unauthorized("The credential is of no supported kind"));
        }
        String pathTenant = request.getUriInfo().getPathParameters().getFirst(TENANT_PATH_PARAM);
        if (known.isPresent() && !needsTenantLookup(known.get(), pathTenant)) {
            request.setProperty(OUTCOME, new Outcome(known.get(), false, null));
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom()
                .item(() -> {
                    Verification verification = known.orElseGet(() -> verifier.verify(token.get()));
                    if (known.isEmpty() && verification instanceof Verified) {
                        limiter.verified(token.get());
                    }
                    boolean lookup = needsTenantLookup(verification, pathTenant);
                    TenantStanding tenant = lookup ? store.tenant(pathTenant).orElse(null) : null;
                    request.setProperty(OUTCOME, new Outcome(verification, lookup, tenant));
                    return (Response) null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHENTICATION + 1)
    public Response authorize(ContainerRequestContext request, ResourceInfo resource) {
        if (!ours(resource)) {
            return null;
        }
        Outcome outcome = (Outcome) request.getProperty(OUTCOME);
        PlatformPrincipal principal;
        switch (outcome.verification()) {
            case Verified v -> principal = v.principal();
            case Rejected r -> {
                limiter.failed((String) request.getProperty(ADDRESS));
                return unauthorized(r.reason());
            }
            case Forbidden f -> {
                return problem(Problem.of(403, "forbidden", "Forbidden", f.reason()));
            }
        }
        currentPrincipal.set(principal);

        Method method = resource.getResourceMethod();
        Access access = Access.Rule.of(method).orElse(null);
        if (access == null) {
            return problem(Problem.of(403, "forbidden", "Forbidden", "This endpoint declares no access rule"));
        }
        if (!principal.isOperator() && !Arrays.asList(access.value()).contains(principal.role())) {
            return problem(Problem.of(
                    403,
                    "forbidden",
                    "Forbidden",
                    "The " + principal.role().wireName() + " role may not call " + request.getMethod() + " "
                            + request.getUriInfo().getPath()));
        }
        String pathTenant = request.getUriInfo().getPathParameters().getFirst(TENANT_PATH_PARAM);
        if (pathTenant != null) {
            // Another tenant's path answers exactly like a tenant that does not exist: no existence leak.
            if ((!principal.isOperator() && !own(principal, pathTenant))
                    || !TenantId.isValid(pathTenant)
                    || !reachable(outcome, principal, method)) {
                return problem(Problem.of(404, "not-found", "Not found", "No tenant '" + pathTenant + "'"));
            }
            if (issuedBeforeTenant(principal, outcome.tenant())) {
                limiter.failed((String) request.getProperty(ADDRESS));
                return unauthorized("The access token was issued before tenant '" + pathTenant + "' was created: it"
                        + " belongs to an earlier tenant of that id");
            }
            tenantContext.enter(new TenantId(pathTenant));
        }
        return null;
    }

    /**
     * Whether the path's tenant may be reached: looked up (or needing no lookup: an API key's own tenant, whose keys
     * go with it) and active, or leaving and reached by an operator where offboarding can be finished.
     */
    private static boolean reachable(Outcome outcome, PlatformPrincipal principal, Method method) {
        if (!outcome.tenantLookedUp()) {
            return true;
        }
        TenantStanding tenant = outcome.tenant();
        return tenant != null
                && (tenant.active()
                        || (principal.isOperator() && method.isAnnotationPresent(ReachesLeavingTenant.class)));
    }

    /** An access token issued before its tenant existed: the tenant's id was offboarded and onboarded again. */
    private boolean issuedBeforeTenant(PlatformPrincipal principal, TenantStanding tenant) {
        return tenant != null
                && principal.issuedAt().isPresent()
                && principal
                        .issuedAt()
                        .get()
                        .plus(securityConfig.tokenClockSkew())
                        .isBefore(tenant.createdAt());
    }

    private CredentialVerifier verifierFor(String token) {
        for (CredentialVerifier verifier : verifiers) {
            if (verifier.accepts(token)) {
                return verifier;
            }
        }
        return null;
    }

    private static boolean ours(ResourceInfo resource) {
        return RouteCatalogue.ownMethod(resource) != null;
    }

    private static boolean own(PlatformPrincipal principal, String pathTenant) {
        return principal.tenant().map(t -> t.value().equals(pathTenant)).orElse(false);
    }

    /**
     * Whether the path's tenant must be looked up. An API key's own tenant exists (keys cascade-delete
     * with it); another tenant's path is refused without a lookup (404 either way); operators and other
     * credentials are checked.
     */
    private static boolean needsTenantLookup(Verification verification, String pathTenant) {
        if (pathTenant == null || !TenantId.isValid(pathTenant) || !(verification instanceof Verified v)) {
            return false;
        }
        PlatformPrincipal principal = v.principal();
        if (!principal.isOperator() && !own(principal, pathTenant)) {
            return false;
        }
        return !(own(principal, pathTenant) && "api-key".equals(principal.credential()));
    }

    private static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** The peer's address: the limit is per connection source; a proxy in front must be trusted explicitly. */
    private static String address(HttpServerRequest http) {
        SocketAddress remote = http == null ? null : http.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    }

    private static Response tooManyFailures(long retryAfterSeconds) {
        return Response.fromResponse(problem(Problem.of(
                        429,
                        "too-many-failed-authentications",
                        "Too many requests",
                        "Too many failed authentications from this address; retry after " + retryAfterSeconds + " s")))
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .build();
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(problem(Problem.of(401, "unauthenticated", "Unauthenticated", detail)))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tenantml\"")
                .build();
    }

    private static Response problem(Problem problem) {
        return ProblemMappers.toResponse(problem);
    }
}
