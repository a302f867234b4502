package io.tenantml.experts.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantml.experts.BuildService;
import io.tenantml.experts.BuildTrigger;
import io.tenantml.experts.BuildView;
import io.tenantml.experts.ExpertsService;
import io.tenantml.experts.RecommendRequest;
import io.tenantml.experts.Recommendation;
import io.tenantml.experts.RecommenderService;
import io.tenantml.experts.RecommenderSpec;
import io.tenantml.experts.RecommenderView;
import io.tenantml.shared.Access;
import io.tenantml.shared.NotAudited;
import io.tenantml.shared.Page;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/tenants/{tenant}/recommenders")
@Produces(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN, Role.INTEGRATION})
public class RecommenderResource {

    @Inject
    RecommenderService recommenders;

    @Inject
    BuildService builds;

    @Inject
    ExpertsService experts;

    @GET
    @Operation(summary = "The tenant's recommenders by name")
    public Page<RecommenderView> list(@PathParam("tenant") String tenant, @BeanParam PageParams page) {
        return recommenders.list(page.request());
    }

    @GET
    @Path("{recommender}")
    @Operation(summary = "A recommender: its spec, current generation and whether it is stale")
    public RecommenderView get(@PathParam("tenant") String tenant, @PathParam("recommender") String recommender) {
        return recommenders.get(recommender);
    }

    /** The body is read as a tree so that every invalid field is reported by name. */
    @PUT
    @Path("{recommender}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
    @Operation(summary = "Creates or replaces a recommender's spec; every invalid field is named")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RecommenderView.class)))
    @APIResponse(
            responseCode = "200",
            description = "Replaced",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = RecommenderView.class)))
    public Response put(
            @PathParam("tenant") String tenant,
            @PathParam("recommender") String recommender,
            @RequestBody(content = @Content(schema = @Schema(implementation = RecommenderSpec.class))) JsonNode body) {
        RecommenderService.Saved saved = recommenders.put(recommender, body);
        return Response.status(saved.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(saved.recommender())
                .build();
    }

    @DELETE
    @Path("{recommender}")
    @Access(Role.ADMIN)
    @Operation(summary = "Deletes a recommender with its index generations")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("recommender") String recommender) {
        recommenders.delete(recommender);
        return Response.noContent().build();
    }

    @POST
    @Path("{recommender}/builds")
    @Access(Role.ADMIN)
    @Operation(summary = "Queues an index build of the recommender")
    @APIResponse(
            responseCode = "202",
            description = "Queued (Location names the build; poll it)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = BuildView.class)))
    public Response build(
            @PathParam("tenant") String tenant, @PathParam("recommender") String recommender, UriInfo uri) {
        BuildView started = builds.start(recommender, BuildTrigger.API);
        return Response.accepted(started)
                .location(uri.getBaseUriBuilder()
                        .path("api/v1/tenants")
                        .path(tenant)
                        .path("recommenders")
                        .path(recommender)
                        .path("builds")
                        .path(started.id().toString())
                        .build())
                .build();
    }

    @GET
    @Path("{recommender}/builds")
    @Operation(summary = "The recommender's builds, newest first: status, progress, evaluation")
    public Page<BuildView> builds(
            @PathParam("tenant") String tenant,
            @PathParam("recommender") String recommender,
            @BeanParam PageParams page) {
        return builds.list(recommender, page.request());
    }

    @GET
    @Path("{recommender}/builds/{build}")
    @Operation(summary = "One build: status, progress, evaluation against the baselines, provenance")
    public BuildView getBuild(
            @PathParam("tenant") String tenant,
            @PathParam("recommender") String recommender,
            @PathParam("build") UUID build) {
        return builds.get(recommender, build);
    }

    @POST
    @Path("{recommender}/recommend")
    @Consumes(MediaType.APPLICATION_JSON)
    @NotAudited("data plane: a query (POST for its body), changes nothing but the daily counts")
    @Operation(
            summary =
                    "Who in the tenant's organisation should answer this text, with the answers that are the evidence")
    public Recommendation recommend(
            @PathParam("tenant") String tenant,
            @PathParam("recommender") String recommender,
            RecommendRequest request) {
        return experts.recommend(recommender, request);
    }
}
