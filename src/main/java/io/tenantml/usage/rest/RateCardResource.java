package io.tenantml.usage.rest;

import io.tenantml.security.CurrentPrincipal;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.rest.PageParams;
import io.tenantml.usage.RateCard;
import io.tenantml.usage.RateCardRequest;
import io.tenantml.usage.RateCards;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The versioned rate card (operators only). Versions are immutable and never deleted. */
@Path("/api/v1/rate-cards")
@Produces(MediaType.APPLICATION_JSON)
@Access({})
public class RateCardResource {

    @Inject
    RateCards rateCards;

    @Inject
    CurrentPrincipal principal;

    @GET
    @Operation(summary = "Every rate card version, latest effective day first (operators only)")
    public Page<RateCard> list(@BeanParam PageParams page) {
        return rateCards.list(page.request());
    }

    @GET
    @Path("/{version}")
    @Operation(summary = "One rate card version (operators only)")
    public RateCard get(@PathParam("version") String version) {
        return rateCards.get(version);
    }

    @PUT
    @Path("/{version}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Writes a rate card version (operators only)",
            description =
                    "Prices per billing unit of each meter, in force for usage from effectiveFrom (UTC day) until"
                            + " the next version's. Immutable: the same content again answers 200, other content 409"
                            + " rate-card-immutable; an effective day of another version 409; a currency other than the"
                            + " other versions' 409 rate-card-currency; an unknown meter, a negative price or no price at all 422.")
    @APIResponse(
            responseCode = "201",
            description = "Written",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RateCard.class)))
    @APIResponse(
            responseCode = "200",
            description = "The same version existed already",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RateCard.class)))
    public Response put(@PathParam("version") String version, @Valid @NotNull RateCardRequest request) {
        RateCards.Written written = rateCards.put(version, request, principal.actor());
        return Response.status(written.created() ? 201 : 200)
                .entity(written.card())
                .build();
    }
}
