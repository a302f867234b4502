package io.tenantml.shared.rest;

import io.tenantml.shared.Problem;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses control characters in path and query values before anything reads them: PostgreSQL cannot store
 * or compare text holding NUL (a lookup of {@code /models/%00} failed with a 500), and no name, id or query
 * value of this API has a use for C0 controls. It runs before authentication, whose tenant lookup is the
 * first query a request makes, and answers 400 naming the parameter and where it was.
 */
public class ParameterGuard {

    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHENTICATION - 100)
    public Response refuseControlCharacters(ContainerRequestContext request) {
        Response refused = check("path", request.getUriInfo().getPathParameters());
        return refused != null ? refused : check("query", request.getUriInfo().getQueryParameters());
    }

    private static Response check(String in, MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            for (String value : parameter.getValue()) {
                int at = firstControl(value);
                if (at >= 0) {
                    return ProblemMappers.toResponse(Problem.of(
                                    400,
                                    "invalid-parameter",
                                    "Bad request",
                                    "The " + in + " parameter '" + parameter.getKey() + "' contains the control "
                                            + "character U+" + String.format("%04X", (int) value.charAt(at))
                                            + " at position " + at + "; names, ids and values may not")
                            .with("parameter", parameter.getKey())
                            .with("in", in));
                }
            }
        }
        return null;
    }

    private static int firstControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return i;
            }
        }
        return -1;
    }
}
