package io.tenantml.usage.rest;

import io.tenantml.security.CurrentPrincipal;
import io.tenantml.shared.Access;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.Role;
import io.tenantml.tenancy.TenantContext;
import io.tenantml.usage.Plan;
import io.tenantml.usage.Plans;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/tenants/{tenant}/plan")
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {

    @Inject
    Plans plans;

    @Inject
    TenantContext tenantContext;

    @Inject
    CurrentPrincipal principal;

    @GET
    @Access(Role.ADMIN)
    @Operation(summary = "The tenant's plan: its limits and those in force")
    public Plan get(@PathParam("tenant") String tenant) {
        return plans.plan(tenantContext.require());
    }

    @PUT
    @Access({})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sets the tenant's plan (operators only)")
    public Plan put(@PathParam("tenant") String tenant, @Valid @NotNull Plan plan) {
        if (plan.effective() != null) {
            // refused, not ignored: a client that sent it believes it set what applies
            throw ProblemException.badField(
                    "invalid-plan",
                    "effective",
                    "effective is read-only: it is what applies, the plan's limits over the platform defaults;"
                            + " a PUT sets limits only");
        }
        return plans.set(tenantContext.require(), plan.limits(), principal.actor());
    }
}
