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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

@Path("/api/v1/tenants/{tenant}/models")
@Produces(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN, Role.INTEGRATION})
public class ModelResource {

    @Inject
    ModelSpecService specs;

    @GET
    public Page<ModelView> list(@PathParam("tenant") String tenant, @BeanParam PageParams page) {
        return specs.list(page.request());
    }

    @GET
    @Path("{model}")
    public ModelView get(@PathParam("tenant") String tenant, @PathParam("model") String model) {
        return specs.get(model);
    }

    /** The body is read as a tree so that every invalid field is reported by name (see ModelSpecService). */
    @PUT
    @Path("{model}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
    public Response put(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @RequestBody(content = @Content(schema = @Schema(implementation = ModelSpec.class))) JsonNode body) {
        ModelSpecService.Saved saved = specs.put(model, body);
        return Response.status(saved.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(saved.model())
                .build();
    }

    @DELETE
    @Path("{model}")
    @Access(Role.ADMIN)
    public Response delete(@PathParam("tenant") String tenant, @PathParam("model") String model) {
        specs.delete(model);
        return Response.noContent().build();
    }
}
