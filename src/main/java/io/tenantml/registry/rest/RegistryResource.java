package io.tenantml.registry.rest;

import io.tenantml.registry.AliasEvent;
import io.tenantml.registry.AliasMove;
import io.tenantml.registry.AliasView;
import io.tenantml.registry.ApprovalRequest;
import io.tenantml.registry.ModelRegistry;
import io.tenantml.registry.ModelVersionView;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/tenants/{tenant}/models/{model}")
@Produces(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN, Role.INTEGRATION})
public class RegistryResource {

    @Inject
    ModelRegistry registry;

    @GET
    @Path("versions")
    @Operation(summary = "The model's versions, oldest first, each with metrics, gate decision and provenance")
    public Page<ModelVersionView> versions(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @BeanParam PageParams page) {
        return registry.versions(model, page.request());
    }

    @GET
    @Path("versions/{version}")
    @Operation(summary = "One model version: metrics, baseline, gate, feature importance, provenance, aliases")
    public ModelVersionView version(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @PathParam("version") int version) {
        return registry.version(model, version);
    }

    /** A person accepts a version its gate rejected, so that an alias may point at it. */
    @POST
    @Path("versions/{version}/approval")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
    @Operation(summary = "Approves a version its gate rejected, so that an alias may name it")
    public ModelVersionView approve(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @PathParam("version") int version,
            @Valid @NotNull ApprovalRequest approval) {
        return registry.approve(model, version, approval.reason());
    }

    /** Withdraws an approval; refused (409) while an alias names the version. */
    @DELETE
    @Path("versions/{version}/approval")
    @Access(Role.ADMIN)
    @Operation(summary = "Revokes a version's approval (409 while an alias names it)")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Response revoke(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @PathParam("version") int version) {
        registry.revokeApproval(model, version);
        return Response.noContent().build();
    }

    @DELETE
    @Path("versions/{version}/artifact")
    @Access(Role.ADMIN)
    @Operation(
            summary = "Purges a version's model file, keeping its record",
            description = "Frees the storage of an old version without deleting the model: the version stays listed"
                    + " with its metrics, gate, parameters, importance, transform, lineage and the file's hash and size,"
                    + " and says when, by whom and why its file was purged (artifact.purged); loading it (predict or"
                    + " batch with version, an alias move, an approval) answers 410 from then on. Refused (409) for"
                    + " the newest version, for a version an alias names, and for one a queued or running batch"
                    + " prediction or a rollback watch still needs, each named in usedBy. Purging a purged version"
                    + " changes nothing. The spec's retention.keepVersions does the same for versions older than the"
                    + " newest ones, after each training.")
    @APIResponse(responseCode = "204", description = "Purged (or already purged)")
    public Response purgeArtifact(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @PathParam("version") int version) {
        registry.purgeArtifact(model, version);
        return Response.noContent().build();
    }

    /** The model's aliases now (the model view carries them as a map too). */
    @GET
    @Path("aliases")
    @Operation(summary = "The model's aliases now, by name")
    public Page<AliasView> aliases(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @BeanParam PageParams page) {
        return registry.aliasPage(model, page.request());
    }

    /** Every recorded alias move, oldest first. */
    @GET
    @Path("alias-history")
    @Operation(summary = "Every recorded alias move of the model, oldest first")
    public Page<AliasEvent> aliasHistory(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @BeanParam PageParams page) {
        return registry.aliasHistory(model, page.request());
    }

    @PUT
    @Path("aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Access(Role.ADMIN)
    @Operation(summary = "Points an alias at a version (production: serving moves at once, on every node); audited")
    public ModelVersionView move(
            @PathParam("tenant") String tenant,
            @PathParam("model") String model,
            @PathParam("alias") String alias,
            @Valid @NotNull AliasMove move) {
        return registry.moveAlias(model, alias, move.version(), move.reason());
    }

    @DELETE
    @Path("aliases/{alias}")
    @Access(Role.ADMIN)
    @Operation(summary = "Removes an alias from the model")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response delete(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @PathParam("alias") String alias) {
        registry.deleteAlias(model, alias);
        return Response.noContent().build();
    }
}
