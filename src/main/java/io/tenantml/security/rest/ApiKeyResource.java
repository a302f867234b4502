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

@Path("/api/v1/tenants/{tenant}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.ADMIN)
public class ApiKeyResource {

    @Inject
    ApiKeyService keys;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("tenant") String tenant, @Valid @NotNull NewApiKey request, UriInfo uri) {
        IssuedApiKey issued = keys.issue(request);
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(issued.id().toString())
                        .build())
                .entity(issued)
                .build();
    }

    @GET
    public Page<ApiKeyView> list(@PathParam("tenant") String tenant, @BeanParam PageParams page) {
        return keys.list(page.request());
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("tenant") String tenant, @PathParam("id") UUID id) {
        keys.revoke(id);
        return Response.noContent().build();
    }
}
