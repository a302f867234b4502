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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

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
    public Page<RecommenderView> list(@PathParam("tenant") String tenant, @BeanParam PageParams page) {
        return recommenders.list(page.request());
    }

    @GET
    @Path("{recommender}")
    public RecommenderView get(@PathParam("tenant") String tenant, @PathParam("recommender") String recommender) {
        return recommenders.get(recommender);
    }

    /** The body is read as a tree so that every invalid field is reported by name. */
    @PUT
    @Path("{recommender}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
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
    public Response delete(@PathParam("tenant") String tenant, @PathParam("recommender") String recommender) {
        recommenders.delete(recommender);
        return Response.noContent().build();
    }

    @POST
    @Path("{recommender}/builds")
    @Access(Role.ADMIN)
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
    public Page<BuildView> builds(
            @PathParam("tenant") String tenant,
            @PathParam("recommender") String recommender,
            @BeanParam PageParams page) {
        return builds.list(recommender, page.request());
    }

    @GET
    @Path("{recommender}/builds/{build}")
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
    public Recommendation recommend(
            @PathParam("tenant") String tenant,
            @PathParam("recommender") String recommender,
            RecommendRequest request) {
        return experts.recommend(recommender, request);
    }
}
