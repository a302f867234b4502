package io.tenantml.usage.internal;

import io.tenantml.security.CurrentPrincipal;
import io.tenantml.security.PlatformPrincipal;
import io.tenantml.shared.Problem;
import io.tenantml.shared.rest.ProblemMappers;
import io.tenantml.usage.Limit;
import io.tenantml.usage.PlanLimits;
import io.tenantml.usage.Plans;
import io.tenantml.usage.Quotas;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.OptionalLong;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Per-endpoint request limits, after authentication and before the body is read, on the I/O thread (plans are in
 * memory): the /predict body size (413, from Content-Length) and the per-credential request rate of /predict and
 * recommend (429 with Retry-After). Uploads keep the HTTP layer's large limit.
 */
public class RequestLimitFilter {

    @Inject
    CurrentPrincipal principal;

    @Inject
    Plans plans;

    @Inject
    Quotas quotas;

    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHORIZATION + 10)
    public Response limit(ContainerRequestContext request) {
        if (!"POST".equals(request.getMethod())) {
            return null;
        }
        String path = request.getUriInfo().getPath();
        Limit rate;
        if (path.endsWith("/predict")) {
            rate = Limit.PREDICT_REQUESTS_PER_SECOND;
        } else if (path.endsWith("/recommend")) {
            rate = Limit.RECOMMEND_REQUESTS_PER_SECOND;
        } else {
            return null;
        }
        PlatformPrincipal caller = principal.get().orElse(null);
        if (caller == null || caller.tenant().isEmpty()) {
            return null; // operators act for no tenant of their own and are not rate limited
        }
        PlanLimits limits = plans.limits(caller.tenant().get());
        Long maxBody = limits.predictBodyBytes();
        if (rate == Limit.PREDICT_REQUESTS_PER_SECOND && maxBody != null && request.getLength() > maxBody) {
            return ProblemMappers.toResponse(Problem.of(
                            413,
                            "quota-exceeded",
                            Quotas.QUOTA_EXCEEDED,
                            "a /predict body may have " + maxBody + " bytes, this one has " + request.getLength())
                    .with("limit", Limit.PREDICT_BODY_BYTES.wireName())
                    .with("max", maxBody)
                    .at(path));
        }
        String credential = caller.credential() == null ? caller.subject() : caller.credential();
        OptionalLong wait = quotas.tryRate(caller.tenant().get(), credential, rate);
        if (wait.isEmpty()) {
            return null;
        }
        Response problem = ProblemMappers.toResponse(
                Quotas.rateLimited(rate, rate.of(limits), wait.getAsLong()).at(path));
        return Response.fromResponse(problem)
                .header(HttpHeaders.RETRY_AFTER, wait.getAsLong())
                .build();
    }
}
