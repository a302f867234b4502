package io.tenantml.usage.rest;

import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.rest.PageParams;
import io.tenantml.usage.UsageQuery;
import io.tenantml.usage.UsageRow;
import io.tenantml.usage.UsageService;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Operators' usage report over all tenants, as JSON or CSV ({@code Accept: text/csv}). */
@Path("/api/v1/reports/usage")
@Access({})
public class ReportResource {

    /** CSV has no place for the page cursor: it travels in this header (absent on the last page). */
    public static final String NEXT_CURSOR = "Next-Cursor";

    @Inject
    UsageService usage;

    @Inject
    Clock clock;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Usage of all tenants (operators only)",
            description = "Sums per group; groups reconcile. Online counts older than the minute retention are kept"
                    + " per hour, and older than the hour retention per UTC day: a from or to inside such an hour or"
                    + " day counts all of it by its start.")
    public Page<UsageRow> json(
            @Parameter(description = "ISO instant or UTC date") @QueryParam("from") String from,
            @Parameter(description = "ISO instant or UTC date (exclusive)") @QueryParam("to") String to,
            @QueryParam("meter") String meter,
            @Parameter(description = "Comma-separated: tenant, meter, model, version, day, month")
                    @QueryParam("groupBy")
                    String groupBy,
            @BeanParam PageParams page) {
        return usage.usage(null, UsageQuery.parse(from, to, meter, groupBy, clock), page.request());
    }

    @GET
    // qs: a client that accepts anything (curl's */*) gets JSON, as the README shows; CSV when asked for
    @Produces("text/csv;qs=0.5")
    public Response csv(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("meter") String meter,
            @QueryParam("groupBy") String groupBy,
            @BeanParam PageParams paging)
            throws IOException {
        Page<UsageRow> page = json(from, to, meter, groupBy, paging);
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(
                out,
                CSVFormat.RFC4180
                        .builder()
                        .setHeader("tenant", "month", "day", "meter", "unit", "model", "version", "quantity")
                        .get())) {
            for (UsageRow r : page.items()) {
                csv.printRecord(
                        r.tenant(),
                        r.month(),
                        r.day(),
                        r.meter() == null ? null : r.meter().wireName(),
                        r.unit() == null ? null : r.unit().wireName(),
                        r.model(),
                        r.version(),
                        r.quantity());
            }
        }
        Response.ResponseBuilder response = Response.ok(out.toString(), "text/csv");
        if (page.next() != null) {
            response.header(NEXT_CURSOR, page.next());
        }
        return response.build();
    }
}
