package io.tenantml.monitoring.rest;

import io.tenantml.monitoring.MonitoringRunView;
import io.tenantml.monitoring.MonitoringSeries;
import io.tenantml.monitoring.MonitoringSeriesPoint;
import io.tenantml.monitoring.MonitoringSignal;
import io.tenantml.monitoring.MonitoringWindow;
import io.tenantml.monitoring.MonitoringWindows;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** A model's monitoring windows: drift, prediction drift and skew against its version's training reference. */
@Path("/api/v1/tenants/{tenant}/models/{model}/monitoring")
@Produces(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN})
public class MonitoringResource {

    @Inject
    MonitoringWindows windows;

    @Inject
    MonitoringSeries series;

    @POST
    @Path("/run")
    @Operation(
            summary = "Profile the model's logged predictions up to now (closing the open hour) and judge the latest"
                    + " window; 202 with the run, whose status is at Location")
    @APIResponse(
            responseCode = "202",
            description = "Queued (Location names the run)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = MonitoringRunView.class)))
    public Response run(@PathParam("tenant") String tenant, @PathParam("model") String model, UriInfo uri) {
        MonitoringRunView run = windows.requestRun(model);
        return Response.accepted(run)
                .location(uri.getBaseUriBuilder()
                        .path(MonitoringResource.class)
                        .path("runs")
                        .path(run.id().toString())
                        .build(tenant, model))
                .build();
    }

    @GET
    @Path("/runs")
    @Operation(summary = "The model's window runs, manual and scheduled, newest first, paged")
    public Page<MonitoringRunView> runs(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @BeanParam PageParams page) {
        return windows.runs(model, page.request());
    }

    @GET
    @Path("/runs/{id}")
    @Operation(summary = "A window run and how far it got")
    public MonitoringRunView runStatus(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @PathParam("id") UUID id) {
        return windows.run(model, id);
    }

    @GET
    @Operation(summary = "The model's latest hourly window, judged against its version's reference profile")
    public MonitoringWindow latest(@PathParam("tenant") String tenant, @PathParam("model") String model) {
        return windows.latest(model);
    }

    @GET
    @Path("/windows")
    @Operation(
            summary = "The model's windows that start in [from, to), newest first, by hour, day or week (days and"
                    + " weeks merged from hourly sketches), of one version or all; one page at a time (pass `next`"
                    + " back as `cursor`)")
    public Page<MonitoringWindow> history(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @BeanParam WindowParams range,
            @BeanParam PageParams page) {
        return windows.windows(model, range.from, range.to, range.granularity, range.version, page.request());
    }

    @GET
    @Path("/series")
    @Operation(
            summary = "One signal of the model's windows over time (a feature's drift, prediction drift, an input's"
                    + " skew, dataset drift or performance) as small points, newest first like the windows and"
                    + " equal to their fields; one page at a time (pass `next` back as `cursor`)")
    public Page<MonitoringSeriesPoint> series(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @QueryParam("signal")
                    @Parameter(
                            description = "Which signal, named after the window's field it is read from",
                            required = true,
                            schema = @Schema(implementation = MonitoringSignal.class))
                    String signal,
            @QueryParam("feature")
                    @Parameter(
                            description = "signal=features: the feature (as features[].feature names it);"
                                    + " signal=skew: the input column (as skew[].column names it); not for the"
                                    + " other signals",
                            schema = @Schema(type = SchemaType.STRING))
                    String feature,
            @BeanParam WindowParams range,
            @BeanParam PageParams page) {
        return series.series(
                model, signal, feature, range.from, range.to, range.granularity, range.version, page.request());
    }

    /** The range, granularity and version of the windows and of a series, read and documented alike. */
    public static class WindowParams {

        @QueryParam("from")
        @Parameter(
                description = "ISO-8601 instant or UTC date; windows starting at or after it (default: all)",
                schema = @Schema(type = SchemaType.STRING))
        String from;

        @QueryParam("to")
        @Parameter(
                description = "ISO-8601 instant or UTC date; windows starting before it (default: now)",
                schema = @Schema(type = SchemaType.STRING))
        String to;

        @QueryParam("granularity")
        @Parameter(
                description = "hour (default), day or week (UTC; weeks from Monday)",
                schema =
                        @Schema(
                                type = SchemaType.STRING,
                                enumeration = {"hour", "day", "week"}))
        String granularity;

        @QueryParam("version")
        @Parameter(
                description = "A version of the model: only its windows (default: every version; when two versions"
                        + " served in one hour, each has its own window)",
                schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
        String version;
    }
}
