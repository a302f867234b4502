package io.tenantml.usage.rest;

import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.rest.PageParams;
import io.tenantml.usage.CostRow;
import io.tenantml.usage.CostService;
import io.tenantml.usage.Meter;
import io.tenantml.usage.UsageQuery;
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

/** Operators' cost report over all tenants, as JSON or CSV ({@code Accept: text/csv}). */
@Path("/api/v1/reports/costs")
@Access({})
public class CostReportResource {

    @Inject
    CostService costs;

    @Inject
    Clock clock;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Costs of all tenants by the rate card (operators only)",
            description = "Usage of [from, to) priced per UTC day by the rate card version in force that day. Each"
                    + " (tenant, day, meter, model, version) is priced exactly and rounded once to 6 decimal places"
                    + " (half up); every figure is an exact sum of those, so the groups of any grouping add up to"
                    + " the total (no groupBy: one row, the total). Usage with no price (before the first rate"
                    + " card, or of a meter the card in force leaves out) costs 0 and is flagged: unpriced, with"
                    + " unpricedMeters. Decimals are strings.")
    public Page<CostRow> json(
            @Parameter(description = "ISO instant or UTC date") @QueryParam("from") String from,
            @Parameter(description = "ISO instant or UTC date (exclusive)") @QueryParam("to") String to,
            @Parameter(description = "Only this meter, e.g. predict.records") @QueryParam("meter") String meter,
            @Parameter(description = "Comma-separated: tenant, meter, model, version, day, month; none = the total")
                    @QueryParam("groupBy")
                    String groupBy,
            @BeanParam PageParams page) {
        return costs.costs(null, UsageQuery.parse(from, to, meter, groupBy, clock, false), page.request());
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
        Page<CostRow> page = json(from, to, meter, groupBy, paging);
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(
                out,
                CSVFormat.RFC4180
                        .builder()
                        .setHeader(
                                "tenant",
                                "month",
                                "day",
                                "meter",
                                "billing_unit",
                                "model",
                                "version",
                                "quantity",
                                "cost",
                                "currency",
                                "rate_cards",
                                "unpriced",
                                "unpriced_meters")
                        .get())) {
            for (CostRow r : page.items()) {
                csv.printRecord(
                        r.tenant(),
                        r.month(),
                        r.day(),
                        r.meter() == null ? null : r.meter().wireName(),
                        r.billingUnit() == null ? null : r.billingUnit().wireName(),
                        r.model(),
                        r.version(),
                        r.quantity() == null ? null : r.quantity().toPlainString(),
                        r.cost().toPlainString(),
                        r.currency(),
                        String.join(" ", r.rateCardVersions()),
                        r.unpriced(),
                        String.join(
                                " ",
                                r.unpricedMeters().stream().map(Meter::wireName).toList()));
            }
        }
        Response.ResponseBuilder response = Response.ok(out.toString(), "text/csv");
        if (page.next() != null) {
            response.header(ReportResource.NEXT_CURSOR, page.next());
        }
        return response.build();
    }
}
