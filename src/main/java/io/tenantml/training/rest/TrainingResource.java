package io.tenantml.training.rest;

import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import io.tenantml.training.StartTraining;
import io.tenantml.training.TrainingService;
import io.tenantml.training.TrainingTrigger;
import io.tenantml.training.TrainingView;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/tenants/{tenant}")
@Produces(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN, Role.INTEGRATION})
public class TrainingResource {

    @Inject
    TrainingService trainings;

    @POST
    @Path("models/{model}/trainings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
    @Operation(summary = "Queues a training of the model (the latest dataset version unless one is named)")
    @APIResponse(
            responseCode = "202",
            description = "Queued (Location names the training; poll it)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = TrainingView.class)))
    public Response start(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @Valid StartTraining request,
            UriInfo uri) {
        TrainingView started =
                trainings.start(model, request == null ? null : request.datasetVersion(), TrainingTrigger.API);
        return Response.accepted(started)
                .location(uri.getBaseUriBuilder()
                        .path("api/v1/tenants")
                        .path(tenant)
                        .path("trainings")
                        .path(started.id().toString())
                        .build())
                .build();
    }

    @GET
    @Path("trainings/{id}")
    @Operation(summary = "A training: status, progress, metrics, gate decision and the version it registered")
    public TrainingView get(@PathParam("tenant") String tenant, @PathParam("id") UUID id) {
        return trainings.get(id);
    }

    @GET
    @Path("trainings")
    @Operation(summary = "Trainings, newest first, one page at a time (pass `next` back as `cursor`)")
    public Page<TrainingView> list(
            @PathParam("tenant") String tenant, @QueryParam("model") String model, @BeanParam PageParams page) {
        return trainings.list(model, page.request());
    }

    @DELETE
    @Path("trainings/{id}")
    @Access(Role.ADMIN)
    @Operation(summary = "Cancels a queued or running training")
    public TrainingView cancel(@PathParam("tenant") String tenant, @PathParam("id") UUID id) {
        return trainings.cancel(id);
    }
}
