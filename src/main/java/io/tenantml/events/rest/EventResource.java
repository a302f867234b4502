package io.tenantml.events.rest;

import io.tenantml.events.EventFeed;
import io.tenantml.events.EventFilter;
import io.tenantml.events.EventType;
import io.tenantml.events.EventView;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.Role;
import io.tenantml.shared.Texts;
import io.tenantml.shared.rest.PageParams;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** A tenant's event feed, for its admins (and operators): what webhooks deliver, readable without an endpoint. */
@Path("/api/v1/tenants/{tenant}/events")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.ADMIN)
public class EventResource {

    @Inject
    EventFeed feed;

    @GET
    @Operation(
            summary = "The tenant's events, newest first",
            description = "Every event of the tenant (trainings succeeded, rejected or failed, aliases promoted or"
                    + " rolled back, monitoring alerts, quota refusals, webhook test events), whether or not it has"
                    + " a webhook endpoint, each as a webhook delivery carries it: `type` and `data` are the"
                    + " delivery body's, `occurredAt` its `timestamp`, `id` its `webhook-id`. Events are kept for"
                    + " the platform's event retention (tenantml.webhooks.event-retention, 90 days by default), with"
                    + " their deliveries; one a delivery still retries is kept until it ends. quota.exceeded is recorded at"
                    + " most once a minute per limit and node, not for every refusal.")
    public Page<EventView> list(
            @PathParam("tenant") String tenant,
            @Parameter(
                            description = "Only events of these types (repeat the parameter, or separate with"
                                    + " commas); none = every type",
                            schema = @Schema(type = SchemaType.ARRAY, implementation = EventType.class))
                    @QueryParam("type")
                    List<String> type,
            @Parameter(description = "ISO instant or UTC date: events at or after it") @QueryParam("from") String from,
            @Parameter(description = "ISO instant or UTC date: events before it (exclusive)") @QueryParam("to")
                    String to,
            @Parameter(
                            description = "newest-first (the default: pages back in time) or oldest-first (for polling:"
                                    + " events in commit order, each once; next is always where to poll from, even"
                                    + " on an empty page)")
                    @QueryParam("order")
                    String order,
            @BeanParam PageParams page) {
        EventFilter filter = EventFilter.parse(type, from, to);
        if (order == null || order.equals("newest-first")) {
            return feed.list(filter, page.request());
        }
        if (order.equals("oldest-first")) {
            return feed.listOldestFirst(filter, page.request());
        }
        throw ProblemException.badParameter(
                "invalid-event-query",
                "order",
                "order must be newest-first or oldest-first, was '" + Texts.cut(order, 60) + "'");
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One event of the tenant, by its id (a delivery's webhook-id)")
    public EventView get(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        return feed.get(id);
    }
}
