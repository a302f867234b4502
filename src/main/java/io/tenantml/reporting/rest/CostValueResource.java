package io.tenantml.reporting.rest;

import io.tenantml.reporting.CostValueReport;
import io.tenantml.reporting.CostValueRow;
import io.tenantml.reporting.RealisedFigure;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.rest.PageParams;
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
import java.math.BigDecimal;
import java.time.Clock;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Operators' cost-against-value report, as JSON or CSV ({@code Accept: text/csv}). */
@Path("/api/v1/reports/cost-value")
@Access({})
public class CostValueResource {

    /** CSV has no place for the page cursor: it travels in this header (absent on the last page). */
    public static final String NEXT_CURSOR = "Next-Cursor";

    @Inject
    CostValueReport report;

    @Inject
    Clock clock;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Cost against value per tenant and model (operators only)",
            description = "For each tenant's model with metered usage in [from, to): training, serving and storage cost"
                    + " by the rate card, records served, the lift of its validation metric over the baseline and,"
                    + " where feedback exists, its realised performance in the period."
                    + " See docs/architecture.md, 'Cost against value'.")
    public Page<CostValueRow> json(
            @Parameter(description = "ISO instant or UTC date; default: to minus 30 days") @QueryParam("from")
                    String from,
            @Parameter(description = "ISO instant or UTC date (exclusive); default: now") @QueryParam("to") String to,
            @BeanParam PageParams page) {
        return report.report(UsageQuery.parse(from, to, null, null, clock, false), page.request());
    }

    @GET
    // qs: a client that accepts anything (curl's */*) gets JSON, as the README shows; CSV when asked for
    @Produces("text/csv;qs=0.5")
    public Response csv(@QueryParam("from") String from, @QueryParam("to") String to, @BeanParam PageParams paging)
            throws IOException {
        Page<CostValueRow> page = json(from, to, paging);
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(
                out,
                CSVFormat.RFC4180
                        .builder()
                        .setHeader(
                                "tenant",
                                "model",
                                "training_cost",
                                "serving_cost",
                                "storage_cost",
                                "total_cost",
                                "currency",
                                "online_records",
                                "batch_records",
                                "cost_per_thousand_records",
                                "version",
                                "metric",
                                "validation_score",
                                "baseline_score",
                                "lift",
                                "realised_metric",
                                "realised_value",
                                "realised_lower",
                                "realised_upper",
                                "realised_confidence",
                                "realised_labels",
                                "unpriced_meters")
                        .get())) {
            for (CostValueRow r : page.items()) {
                RealisedFigure realised = r.realisedPerformance();
                csv.printRecord(
                        r.tenant(),
                        r.model(),
                        plain(r.trainingCost()),
                        plain(r.servingCost()),
                        plain(r.storageCost()),
                        plain(r.totalCost()),
                        r.currency(),
                        r.onlineRecords(),
                        r.batchRecords(),
                        plain(r.costPerThousandRecords()),
                        r.version(),
                        r.metric(),
                        r.validationScore(),
                        r.baselineScore(),
                        r.lift(),
                        realised == null ? null : realised.metric(),
                        realised == null ? null : realised.value(),
                        realised == null ? null : realised.lower(),
                        realised == null ? null : realised.upper(),
                        realised == null ? null : realised.confidence(),
                        realised == null ? null : realised.labels(),
                        String.join(
                                " ",
                                r.unpricedMeters().stream().map(Meter::wireName).toList()));
            }
        }
        Response.ResponseBuilder response = Response.ok(out.toString(), "text/csv");
        if (page.next() != null) {
            response.header(NEXT_CURSOR, page.next());
        }
        return response.build();
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
