package io.tenantml.tenancy.rest;

import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.ReachesLeavingTenant;
import io.tenantml.shared.Role;
import io.tenantml.shared.TenantId;
import io.tenantml.shared.rest.PageParams;
import io.tenantml.tenancy.OnboardedTenant;
import io.tenantml.tenancy.OnboardingRequest;
import io.tenantml.tenancy.Tenant;
import io.tenantml.tenancy.TenantService;
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

@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

    @Inject
    TenantService tenants;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Access({})
    @Operation(summary = "Onboards a tenant; the answer holds its first admin API key, shown once")
    @APIResponse(
            responseCode = "201",
            description = "Onboarded (Location names the tenant)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OnboardedTenant.class)))
    public Response onboard(@Valid @NotNull OnboardingRequest request, UriInfo uri) {
        OnboardedTenant onboarded = tenants.onboard(request);
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(onboarded.tenant().id())
                        .build())
                .entity(onboarded)
                .build();
    }

    @GET
    @Access({})
    @Operation(summary = "Every tenant, by id (operators only)")
    public Page<Tenant> list(@BeanParam PageParams page) {
        return tenants.list(page.request());
    }

    @GET
    @Path("/{tenant}")
    @Access({Role.ADMIN, Role.INTEGRATION})
    @ReachesLeavingTenant
    @Operation(summary = "One tenant: its name, source and status (active or leaving)")
    public Tenant get(@PathParam("tenant") String tenant) {
        return tenants.get(new TenantId(tenant));
    }

    @DELETE
    @Path("/{tenant}")
    @Access({})
    @ReachesLeavingTenant
    @Operation(
            summary =
                    "Offboards a tenant: its keys, rows, files, jobs and identity objects are removed (operators only)")
    @APIResponse(responseCode = "204", description = "Offboarded")
    public Response offboard(@PathParam("tenant") String tenant) {
        tenants.offboard(new TenantId(tenant));
        return Response.noContent().build();
    }
}
