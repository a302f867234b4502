package io.tenantml.usage.rest;

import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import io.tenantml.usage.UsageQuery;
import io.tenantml.usage.UsageRow;
import io.tenantml.usage.UsageService;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/tenants/{tenant}/usage")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.ADMIN)
public class UsageResource {

    @Inject
    UsageService usage;

    @Inject
    Clock clock;

    @GET
    @Operation(
            summary = "The tenant's own metered usage",
            description = "Sums of metered quantities in [from, to), grouped by meter and the groupBy keys. Online"
                    + " counts older than the minute retention (2 days by default) are kept per hour, and older than"
                    + " the hour retention (90 days by default) per UTC day: a from or to inside such an hour or day"
                    + " counts all of it by its start.")
    public Page<UsageRow> usage(
            @PathParam("tenant") String tenant,
            @Parameter(description = "ISO instant or UTC date; default: to minus 30 days") @QueryParam("from")
                    String from,
            @Parameter(description = "ISO instant or UTC date (exclusive); default: now") @QueryParam("to") String to,
            @Parameter(description = "Only this meter, e.g. predict.records") @QueryParam("meter") String meter,
            @Parameter(description = "Comma-separated: meter, model, version, day, month") @QueryParam("groupBy")
                    String groupBy,
            @BeanParam PageParams page) {
        return usage.tenantUsage(UsageQuery.parse(from, to, meter, groupBy, clock), page.request());
    }
}
