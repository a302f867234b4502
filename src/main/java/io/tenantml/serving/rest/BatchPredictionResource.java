package io.tenantml.serving.rest;

import io.tenantml.serving.BatchPredictionRequest;
import io.tenantml.serving.BatchPredictionService;
import io.tenantml.serving.BatchPredictionView;
import io.tenantml.serving.PrecomputedPrediction;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/tenants/{tenant}/models/{model}")
@Produces(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN, Role.INTEGRATION})
public class BatchPredictionResource {

    @Inject
    BatchPredictionService batches;

    @POST
    @Path("/batch-predictions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queues a batch prediction over a dataset version")
    @APIResponse(
            responseCode = "202",
            description = "Queued (Location names the batch; poll it)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = BatchPredictionView.class)))
    public Response submit(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @NotNull BatchPredictionRequest request,
            UriInfo uri) {
        BatchPredictionView batch = batches.submit(model, request);
        return Response.accepted(batch)
                .location(
                        uri.getAbsolutePathBuilder().path(batch.id().toString()).build())
                .build();
    }

    @GET
    @Path("/batch-predictions")
    @Operation(
            summary = "The model's batch predictions, newest first, one page at a time (pass `next` back as `cursor`)")
    public Page<BatchPredictionView> list(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @BeanParam PageParams page) {
        return batches.list(model, page.request());
    }

    @GET
    @Path("/batch-predictions/{id}")
    @Operation(summary = "A batch prediction: status, progress and its results once done")
    public BatchPredictionView get(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @PathParam("id") UUID id) {
        return batches.get(model, id);
    }

    @GET
    @Path("/batch-predictions/{id}/results")
    @Produces("text/csv")
    @Operation(
            summary = "A finished batch prediction's results as CSV",
            description = "ETag is the batch's resultsSha256 (the SHA-256 of these bytes): a download can be checked"
                    + " against it, and a GET with If-None-Match of it answers 304 without the body.")
    public Response results(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @PathParam("id") UUID id,
            @Context Request request) {
        String sha256 = batches.get(model, id).resultsSha256();
        EntityTag tag = sha256 == null ? null : new EntityTag(sha256);
        if (tag != null) {
            Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
            if (unchanged != null) {
                return unchanged.tag(tag).build();
            }
        }
        InputStream in = batches.results(model, id);
        StreamingOutput body = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, "text/csv")
                .header("Content-Disposition", "attachment; filename=\"" + id + ".csv\"")
                .tag(tag)
                .build();
    }

    @GET
    @Path("/precomputed/{key}")
    @Operation(summary = "The prediction a batch precomputed for this key")
    public PrecomputedPrediction precomputed(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @PathParam("key") String key) {
        return batches.precomputed(model, key);
    }
}
