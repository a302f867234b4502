package io.tenantml.audit.rest;

import io.tenantml.audit.Audit;
import io.tenantml.audit.AuditEntry;
import io.tenantml.audit.AuditQuery;
import io.tenantml.audit.AuditVerification;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** A tenant's audit trail, for its admins (and operators). */
@Path("/api/v1/tenants/{tenant}/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    @Inject
    Audit audit;

    @GET
    @Access(Role.ADMIN)
    @Operation(summary = "The tenant's audit trail, newest first")
    public Page<AuditEntry> tenantAudit(
            @PathParam("tenant") String tenant,
            @Parameter(description = "Only entries of this action") @QueryParam("action") String action,
            @Parameter(
                            description = "Only entries of this actor (its actor.subject: an API key's id, a token's"
                                    + " subject, or a part of the platform such as rule)")
                    @QueryParam("actor")
                    String actor,
            @Parameter(description = "ISO instant or UTC date") @QueryParam("from") String from,
            @Parameter(description = "ISO instant or UTC date (exclusive)") @QueryParam("to") String to,
            @BeanParam PageParams page) {
        return audit.list(AuditQuery.parse(action, actor, from, to), page.request());
    }

    @GET
    @Path("verify")
    @Access(Role.ADMIN)
    @Operation(summary = "Recomputes the tenant's hash chain and names the first entry that does not match")
    public AuditVerification verify(@PathParam("tenant") String tenant) {
        return audit.verify();
    }
}
