package io.tenantml.webhooks.rest;

import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import io.tenantml.webhooks.CreatedWebhook;
import io.tenantml.webhooks.DeliveryView;
import io.tenantml.webhooks.NewWebhook;
import io.tenantml.webhooks.RotatedSecret;
import io.tenantml.webhooks.SecretRotation;
import io.tenantml.webhooks.WebhookService;
import io.tenantml.webhooks.WebhookView;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/tenants/{tenant}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.ADMIN)
public class WebhookResource {

    @Inject
    WebhookService webhooks;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Registers a webhook endpoint; its secret is in this answer only")
    @APIResponse(
            responseCode = "201",
            description = "Registered (Location names the endpoint)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CreatedWebhook.class)))
    public Response create(@PathParam("tenant") String tenant, @Valid @NotNull NewWebhook request, UriInfo uri) {
        CreatedWebhook created = webhooks.create(request);
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(created.id().toString())
                        .build())
                .entity(created)
                .build();
    }

    @GET
    @Operation(summary = "The tenant's webhook endpoints")
    public Page<WebhookView> list(@PathParam("tenant") String tenant, @BeanParam PageParams page) {
        return webhooks.list(page.request());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One webhook endpoint: its URL, events and state")
    public WebhookView get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return webhooks.get(id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Removes an endpoint with its deliveries")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        webhooks.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/enable")
    @Operation(summary = "Enables an endpoint disabled after failures")
    public WebhookView enable(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return webhooks.enable(id);
    }

    /**
     * A verb like the endpoint's other actions (enable, test, redeliver): the rotation changes the endpoint and
     * leaves nothing of its own to address, so 200 with the new secret, not 201 with a Location.
     */
    @POST
    @Path("/{id}/rotate-secret")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Replaces the endpoint's signing secret; the new one is in this answer only",
            description = "During the overlap (body {\"overlap\": \"PT24H\"}, optional; default and maximum are"
                    + " configured) every delivery carries two webhook-signature values, the new secret's and the"
                    + " replaced one's, so that the receiver can switch without missing a delivery; afterwards only the"
                    + " new one's. A rotation during an overlap drops the older replaced secret: at most two sign.")
    public RotatedSecret rotateSecret(
            @PathParam("tenant") String tenant,
            @PathParam("id") String id,
            @RequestBody(required = false) @Valid SecretRotation request) {
        return webhooks.rotateSecret(id, request == null ? SecretRotation.DEFAULTS : request);
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Sends a test event to this endpoint")
    @APIResponse(
            responseCode = "202",
            description = "Queued: the test event's delivery",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DeliveryView.class)))
    public Response test(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return Response.accepted(webhooks.test(id)).build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The endpoint's delivery log, newest first: status, attempts, last answer")
    public Page<DeliveryView> deliveries(
            @PathParam("tenant") String tenant, @PathParam("id") String id, @BeanParam PageParams page) {
        return webhooks.deliveries(id, page.request());
    }

    @POST
    @Path("/{id}/deliveries/{delivery}/redeliver")
    @Operation(summary = "Sends a delivery again with the same webhook-id")
    @APIResponse(
            responseCode = "202",
            description = "Queued: the delivery, to be sent again",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DeliveryView.class)))
    public Response redeliver(
            @PathParam("tenant") String tenant, @PathParam("id") String id, @PathParam("delivery") String delivery) {
        return Response.accepted(webhooks.redeliver(id, delivery)).build();
    }
}
