package io.tenantml.monitoring.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantml.monitoring.MonitoringSettings;
import io.tenantml.monitoring.MonitoringSettingsView;
import io.tenantml.shared.Access;
import io.tenantml.shared.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** A model's monitoring settings: the thresholds its windows and drift checks are judged with. */
@Path("/api/v1/tenants/{tenant}/models/{model}/monitoring/settings")
@Produces(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN})
public class MonitoringSettingsResource {

    @Inject
    MonitoringSettings settings;

    @GET
    @Operation(summary = "The drift thresholds the model is judged with, beside the platform's defaults")
    public MonitoringSettingsView get(@PathParam("tenant") String tenant, @PathParam("model") String model) {
        return settings.get(model);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Replace the model's drift thresholds ({\"drift\": {...}}); thresholds left out take their "
                    + "defaults, so {} returns to the defaults")
    public MonitoringSettingsView put(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @RequestBody(content = @Content(schema = @Schema(implementation = MonitoringSettings.Request.class)))
                    JsonNode body) {
        return settings.put(model, body);
    }
}
