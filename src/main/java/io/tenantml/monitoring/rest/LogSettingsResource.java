package io.tenantml.monitoring.rest;

import io.tenantml.monitoring.LogSettings;
import io.tenantml.shared.Access;
import io.tenantml.shared.Role;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** How long a tenant keeps its prediction log, and how much of each model's traffic it logs. */
@Path("/api/v1/tenants/{tenant}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN})
public class LogSettingsResource {

    /** The body of a retention change. */
    public record RetentionRequest(Integer retentionDays) {}

    /** The body of a sampling change. */
    public record SamplingRequest(Double sampleRate) {}

    @Inject
    LogSettings settings;

    @GET
    @Path("/monitoring/log-settings")
    @Operation(summary = "How many days the tenant's prediction log is kept")
    public LogSettings.Retention retention(@PathParam("tenant") String tenant) {
        return settings.retention();
    }

    @PUT
    @Path("/monitoring/log-settings")
    @Operation(
            summary = "Sets how many days the tenant's prediction log is kept",
            description = "Rounded up to the next retention class; applies to predictions logged from now on. The"
                    + " feedback labels of a prediction are deleted with it.")
    public LogSettings.Retention setRetention(@PathParam("tenant") String tenant, @NotNull RetentionRequest body) {
        return settings.setRetention(body.retentionDays());
    }

    @GET
    @Path("/models/{model}/monitoring/log-settings")
    @Operation(summary = "The share of the model's predictions written to the log")
    public LogSettings.Sampling sampling(@PathParam("tenant") String tenant, @PathParam("model") String model) {
        return settings.sampling(model);
    }

    @PUT
    @Path("/models/{model}/monitoring/log-settings")
    @Operation(summary = "Sets the share of the model's predictions written to the log")
    public LogSettings.Sampling setSampling(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @NotNull SamplingRequest body) {
        return settings.setSampling(model, body.sampleRate());
    }
}
