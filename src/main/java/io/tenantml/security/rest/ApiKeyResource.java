package io.tenantml.security.rest;

import io.tenantml.security.ApiKeyService;
import io.tenantml.security.ApiKeyView;
import io.tenantml.security.IssuedApiKey;
import io.tenantml.security.NewApiKey;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/tenants/{tenant}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.ADMIN)
public class ApiKeyResource {

    @Inject
    ApiKeyService keys;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issues an API key of the tenant; the secret is in this answer only")
    @APIResponse(
            responseCode = "201",
            description = "Issued (Location names the key)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = IssuedApiKey.class)))
    public Response create(@PathParam("tenant") String tenant, @Valid @NotNull NewApiKey request, UriInfo uri) {
        IssuedApiKey issued = keys.issue(request);
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(issued.id().toString())
                        .build())
                .entity(issued)
                .build();
    }

    @GET
    @Operation(summary = "The tenant's API keys, oldest first, without their secrets")
    public Page<ApiKeyView> list(@PathParam("tenant") String tenant, @BeanParam PageParams page) {
        return keys.list(page.request());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revokes an API key at once, on every node")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Response revoke(@PathParam("tenant") String tenant, @PathParam("id") UUID id) {
        keys.revoke(id);
        return Response.noContent().build();
    }
}
