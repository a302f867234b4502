package io.tenantml.monitoring.rest;

import io.tenantml.monitoring.FeedbackItem;
import io.tenantml.monitoring.FeedbackReceipt;
import io.tenantml.monitoring.FeedbackService;
import io.tenantml.shared.Access;
import io.tenantml.shared.NotAudited;
import io.tenantml.shared.Role;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/tenants/{tenant}/models/{model}/feedback")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN, Role.INTEGRATION})
public class FeedbackResource {

    @Inject
    FeedbackService feedback;

    @POST
    @NotAudited("data plane: labels for logged predictions, kept with the prediction log, at prediction rate")
    @Operation(summary = "Sends labels for logged predictions by their id (idempotent)")
    @APIResponse(
            responseCode = "202",
            description = "Accepted: how many labels were taken, the prediction ids not known, and the taken"
                    + " labels the predicting version cannot read as an outcome (unusable, with what it takes)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = FeedbackReceipt.class)))
    public Response submit(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @NotNull List<@NotNull @Valid FeedbackItem> items) {
        FeedbackReceipt receipt = feedback.submit(model, items);
        return Response.accepted(receipt).build();
    }
}
