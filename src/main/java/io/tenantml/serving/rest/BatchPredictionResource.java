package io.tenantml.serving.rest;

import io.tenantml.serving.BatchPredictionRequest;
import io.tenantml.serving.BatchPredictionService;
import io.tenantml.serving.BatchPredictionView;
import io.tenantml.serving.PrecomputedPrediction;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.Problem;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.ByteRanges;
import io.tenantml.shared.rest.PageParams;
import io.tenantml.shared.rest.ProblemMappers;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
                    + " against it, and a GET with If-None-Match of it answers 304 without the body. A broken"
                    + " download resumes with Range: bytes=FIRST- (and If-Range: the ETag), answered 206 with"
                    + " Content-Range; one range per request (several are answered with the whole file); a"
                    + " malformed range, or one past the end, is a 416 saying why.")
    @APIResponse(responseCode = "206", description = "The asked range of the results")
    @APIResponse(responseCode = "416", description = "The range is malformed or past the end of the results")
    public Response results(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @PathParam("id") UUID id,
            @Context Request request,
            @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange) {
        String sha256 = batches.get(model, id).resultsSha256();
        EntityTag tag = sha256 == null ? null : new EntityTag(sha256);
        if (tag != null) {
            Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
            if (unchanged != null) {
                return unchanged.tag(tag).build();
            }
        }
        BatchPredictionService.Results results = batches.results(model, id);
        ByteRanges.Answer answer = ByteRanges.answer(range, ifRange, tag, results.bytes());
        if (answer instanceof ByteRanges.Unsatisfiable refused) {
            results.close();
            return Response.fromResponse(ProblemMappers.toResponse(
                            Problem.of(416, "range-not-satisfiable", "Range not satisfiable", refused.reason())
                                    .with("in", "header")
                                    .with("parameter", "Range")))
                    .header("Content-Range", refused.contentRange())
                    .tag(tag)
                    .build();
        }
        ByteRanges.Part part = answer instanceof ByteRanges.Part asked ? asked : null;
        long skip = part == null ? 0 : part.first();
        long length = part == null ? results.bytes() : part.length();
        StreamingOutput body = out -> {
            try (InputStream in = results.content()) {
                ByteRanges.copy(in, skip, length, out);
            }
        };
        Response.ResponseBuilder response = Response.status(part == null ? 200 : 206)
                .entity(body)
                .type("text/csv")
                .header("Content-Disposition", "attachment; filename=\"" + id + ".csv\"")
                .header("Accept-Ranges", "bytes")
                .header("Content-Length", length)
                .tag(tag);
        return part == null
                ? response.build()
                : response.header("Content-Range", part.contentRange()).build();
    }

    @GET
    @Path("/precomputed/{key}")
    @Operation(summary = "The prediction a batch precomputed for this key")
    public PrecomputedPrediction precomputed(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @PathParam("key") String key) {
        return batches.precomputed(model, key);
    }
}
