package io.tenantml.shared.rest;

import io.tenantml.shared.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Names the request's path as the {@code instance} of every problem that does not name one: the problems a
 * request filter answers (authentication's 401/403/404, the parameter and encoding guards, rate limits) are
 * built before any resource runs and knew no path, while those of exception mappers always carried it. A client
 * logging problems can then tell which call each came from, whichever layer refused it.
 */
public class ProblemInstances {

    @ServerResponseFilter
    public void nameTheRequest(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem && problem.instance() == null) {
            response.setEntity(
                    problem.at(request.getUriInfo().getPath()),
                    response.getEntityAnnotations(),
                    response.getMediaType());
        }
    }
}
