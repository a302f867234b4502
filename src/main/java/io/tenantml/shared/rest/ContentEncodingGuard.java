package io.tenantml.shared.rest;

import io.tenantml.shared.Problem;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a request body sent with a {@code Content-Encoding} (gzip, deflate, br): the platform does not
 * decompress request bodies, so such a body would be read as it came, and an upload of compressed CSV would be
 * stored as garbage rows. RFC 9110 (section 15.5.16) answers an unsupported content coding with 415 and
 * Accept-Encoding.
 */
public class ContentEncodingGuard {

    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHENTICATION - 90)
    public Response refuseEncodedBodies(ContainerRequestContext request) {
        String encoding = request.getHeaderString(HttpHeaders.CONTENT_ENCODING);
        if (encoding == null
                || encoding.isBlank()
                || encoding.strip().toLowerCase(Locale.ROOT).equals("identity")) {
            return null;
        }
        return Response.fromResponse(ProblemMappers.toResponse(Problem.of(
                                415,
                                "unsupported-content-encoding",
                                "Unsupported content encoding",
                                "Content-Encoding '" + encoding + "' is not accepted: send the body uncompressed")
                        .with("header", HttpHeaders.CONTENT_ENCODING)))
                .header("Accept-Encoding", "identity")
                .build();
    }
}
