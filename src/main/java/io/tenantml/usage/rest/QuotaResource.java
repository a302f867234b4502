package io.tenantml.usage.rest;

import io.tenantml.shared.Access;
import io.tenantml.shared.Role;
import io.tenantml.usage.QuotaUsage;
import io.tenantml.usage.Quotas;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/tenants/{tenant}/quotas")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

    @Inject
    Quotas quotas;

    @GET
    @Access(Role.ADMIN)
    @Operation(
            summary = "The tenant's count and storage limits beside what it has of each now",
            description = "Stored bytes, datasets, models, recommenders, integration clients (API keys and, with"
                    + " Keycloak provisioning, Keycloak clients, each counted on its own), trainings today (UTC) and"
                    + " jobs queued or running, each with the limit in force (absent: unlimited). When Keycloak does not"
                    + " answer, its count is shown without used and with unavailable saying why; the rest as"
                    + " usual. Per-request limits and rates are in GET plan.")
    public QuotaUsage get(@PathParam("tenant") String tenant) {
        return quotas.usage();
    }
}
