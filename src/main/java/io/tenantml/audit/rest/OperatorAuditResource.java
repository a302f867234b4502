package io.tenantml.audit.rest;

import io.tenantml.audit.Audit;
import io.tenantml.audit.AuditEntry;
import io.tenantml.audit.AuditQuery;
import io.tenantml.audit.AuditVerification;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.rest.PageParams;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Every audit trail at once, and the platform's own chain: for operators only. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class OperatorAuditResource {

    @Inject
    Audit audit;

    @GET
    @Access({})
    @Operation(summary = "Every tenant's and the platform's entries, newest first (operators)")
    public Page<AuditEntry> allAudit(
            @Parameter(description = "Only entries of this action") @QueryParam("action") String action,
            @Parameter(
                            description = "Only entries of this actor (its actor.subject: an API key's id, a token's"
                                    + " subject, or a part of the platform such as rule)")
                    @QueryParam("actor")
                    String actor,
            @Parameter(description = "ISO instant or UTC date") @QueryParam("from") String from,
            @Parameter(description = "ISO instant or UTC date (exclusive)") @QueryParam("to") String to,
            @BeanParam PageParams page) {
        return audit.listAll(AuditQuery.parse(action, actor, from, to), page.request());
    }

    @GET
    @Path("verify")
    @Access({})
    @Operation(summary = "Recomputes the platform's own chain (onboarding, offboarding) (operators)")
    public AuditVerification verifyPlatform() {
        return audit.verifyPlatform();
    }
}
