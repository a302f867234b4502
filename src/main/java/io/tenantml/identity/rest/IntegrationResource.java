package io.tenantml.identity.rest;

import io.tenantml.identity.IntegrationClient;
import io.tenantml.identity.IntegrationService;
import io.tenantml.identity.IssuedIntegration;
import io.tenantml.identity.NewIntegration;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/tenants/{tenant}/integrations")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.ADMIN)
public class IntegrationResource {

    @Inject
    IntegrationService integrations;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a Keycloak integration client of the tenant; its secret is in this answer only")
    @APIResponse(
            responseCode = "201",
            description = "Created (Location names the client)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = IssuedIntegration.class)))
    public Response create(@PathParam("tenant") String tenant, @Valid @NotNull NewIntegration request, UriInfo uri) {
        IssuedIntegration issued = integrations.create(request);
        return Response.created(
                        uri.getAbsolutePathBuilder().path(issued.clientId()).build())
                .entity(issued)
                .build();
    }

    @GET
    @Operation(summary = "The tenant's Keycloak integration clients, by client id")
    public Page<IntegrationClient> list(@PathParam("tenant") String tenant, @BeanParam PageParams page) {
        return integrations.list(page.request());
    }

    @DELETE
    @Path("/{clientId}")
    @Operation(summary = "Deletes a Keycloak integration client of the tenant")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("clientId") String clientId) {
        integrations.delete(clientId);
        return Response.noContent().build();
    }
}
