package io.tenantml.training.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import io.tenantml.training.ModelSpec;
import io.tenantml.training.ModelSpecService;
import io.tenantml.training.ModelView;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/tenants/{tenant}/models")
@Produces(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN, Role.INTEGRATION})
public class ModelResource {

    @Inject
    ModelSpecService specs;

    @GET
    @Operation(summary = "The tenant's models by name, each with its spec, aliases and next retraining")
    public Page<ModelView> list(@PathParam("tenant") String tenant, @BeanParam PageParams page) {
        return specs.list(page.request());
    }

    @GET
    @Path("{model}")
    @Operation(summary = "A model: its spec, aliases and next retraining")
    public ModelView get(@PathParam("tenant") String tenant, @PathParam("model") String model) {
        return specs.get(model);
    }

    /** The body is read as a tree so that every invalid field is reported by name (see ModelSpecService). */
    @PUT
    @Path("{model}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
    @Operation(summary = "Creates or replaces a model's spec; every invalid field is named")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ModelView.class)))
    @APIResponse(
            responseCode = "200",
            description = "Replaced",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ModelView.class)))
    public Response put(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @RequestBody(content = @Content(schema = @Schema(implementation = ModelSpec.class))) JsonNode body) {
        ModelSpecService.Saved saved = specs.put(model, body);
        specs.applyRetention(model);
        return Response.status(saved.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(saved.model())
                .build();
    }

    @DELETE
    @Path("{model}")
    @Access(Role.ADMIN)
    @Operation(summary = "Deletes a model with its versions, windows and schedules")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("model") String model) {
        specs.delete(model);
        return Response.noContent().build();
    }
}
