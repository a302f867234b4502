package io.tenantml.dataset.rest;

import io.tenantml.dataset.DatasetDefinition;
import io.tenantml.dataset.DatasetFormat;
import io.tenantml.dataset.DatasetService;
import io.tenantml.dataset.DatasetVersionView;
import io.tenantml.dataset.DatasetView;
import io.tenantml.dataset.UploadResult;
import io.tenantml.shared.Access;
import io.tenantml.shared.Page;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.Role;
import io.tenantml.shared.rest.PageParams;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Datasets of a tenant. Admin and integration keys may read and upload; only admins define or delete. */
@Path("/api/v1/tenants/{tenant}/datasets")
@Access({Role.ADMIN, Role.INTEGRATION})
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    static final String NDJSON = "application/x-ndjson";
    static final String CSV = "text/csv";

    /**
     * Set to {@code true} on the 200 answer to an upload that held what the dataset's latest version holds: no
     * version was made, the body is that latest version (see {@link UploadResult#unchanged()}).
     */
    public static final String UNCHANGED = "Dataset-Version-Unchanged";

    @Inject
    DatasetService datasets;

    @GET
    @Operation(summary = "The tenant's datasets by name, each with its version count and latest version")
    public Page<DatasetView> list(@PathParam("tenant") String tenant, @BeanParam PageParams page) {
        return datasets.list(page.request());
    }

    @PUT
    @Path("{name}")
    @Access({Role.ADMIN})
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Declares or redefines a dataset: description, schema, ingestion policy, retention")
    @APIResponse(
            responseCode = "201",
            description = "Declared",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DatasetView.class)))
    @APIResponse(
            responseCode = "200",
            description = "Redefined",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DatasetView.class)))
    public Response define(
            @PathParam("tenant") String tenant, @PathParam("name") String name, @Valid DatasetDefinition definition) {
        boolean created = datasets.define(name, definition);
        return Response.status(created ? 201 : 200).entity(datasets.get(name)).build();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "A dataset: its schema, policy, version count and latest version")
    public DatasetView get(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        return datasets.get(name);
    }

    @DELETE
    @Path("{name}")
    @Access({Role.ADMIN})
    @Operation(
            summary = "Deletes a dataset with every version and its files",
            description = "Refused (409 dataset-in-use) while a model or recommender reads the dataset, or something"
                    + " still needs the rows of one of its versions (a queued or running training, batch or index"
                    + " build; a model version serving under an alias that was trained on it), each named in usedBy:"
                    + " delete or change them first.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("tenant") String tenant, @PathParam("name") String name) {
        datasets.delete(name);
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/versions")
    @Consumes({CSV, NDJSON, MediaType.APPLICATION_JSON})
    @Operation(
            summary = "Uploads a dataset version",
            description = "Validates and profiles the body against the dataset's schema and policy and stores it as the"
                    + " next version. A body whose validated rows, schema, quarantined rows and findings are the"
                    + " latest version's makes no version: 200 with the latest version and " + UNCHANGED
                    + ": true. With an Idempotency-Key, a repeat of the request answers as the first did, with"
                    + " Idempotent-Replayed: true; a key is remembered for 7 days (tenantml.dataset.idempotency-retention),"
                    + " after which it names a new request.")
    @APIResponse(
            responseCode = "201",
            description = "A new version (Location names it)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DatasetVersionView.class)))
    @APIResponse(
            responseCode = "200",
            description = "Unchanged: the body held what the latest version holds; nothing was stored, the latest"
                    + " version is answered (Content-Location names it) with " + UNCHANGED + ": true",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DatasetVersionView.class)))
    public Response upload(
            @PathParam("tenant") String tenant,
            @PathParam("name") String name,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Context UriInfo uri,
            InputStream body)
            throws IOException {
        DatasetFormat format = DatasetFormat.ofMediaType(contentType)
                .orElseThrow(() -> new ProblemException(io.tenantml.shared.Problem.of(
                        415,
                        "unsupported-media-type",
                        "Unsupported media type",
                        "Upload text/csv, application/x-ndjson or application/json")));
        UploadResult result = datasets.upload(name, format, body, idempotencyKey);
        DatasetVersionView v = result.version();
        java.net.URI versionUri = uri.getBaseUriBuilder()
                .path("api/v1/tenants")
                .path(tenant)
                .path("datasets")
                .path(name)
                .path("versions")
                .path(Integer.toString(v.version()))
                .build();
        // An upload identical to the latest version created nothing: 200 with that version, which Content-Location
        // names (Location would say the request created it, and the audit trail records Location).
        Response.ResponseBuilder answer = result.unchanged()
                ? Response.ok().contentLocation(versionUri).header(UNCHANGED, "true")
                : Response.status(201).location(versionUri);
        return answer.header("Idempotent-Replayed", result.replayed() ? "true" : null)
                .entity(v)
                .build();
    }

    @GET
    @Path("{name}/versions")
    @Operation(
            summary =
                    "The dataset's versions, oldest first (summaries; one version's report and profile by its number)")
    public Page<DatasetView.VersionSummary> versions(
            @PathParam("tenant") String tenant, @PathParam("name") String name, @BeanParam PageParams page) {
        return datasets.versions(name, page.request());
    }

    @GET
    @Path("{name}/versions/{version}")
    @Operation(summary = "One dataset version: schema, validation report and profile")
    public DatasetVersionView version(
            @PathParam("tenant") String tenant, @PathParam("name") String name, @PathParam("version") int version) {
        return datasets.version(name, version);
    }

    @GET
    @Path("{name}/versions/{version}/rows")
    @Produces({CSV, NDJSON})
    @Operation(summary = "The version's rows as CSV (default) or NDJSON (Accept), streamed; 410 once purged")
    public Response rows(
            @PathParam("tenant") String tenant,
            @PathParam("name") String name,
            @PathParam("version") int version,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        DatasetFormat format = accept != null && accept.contains(NDJSON) && !accept.contains(CSV)
                ? DatasetFormat.NDJSON
                : DatasetFormat.CSV;
        DatasetService.StreamBody body = datasets.rows(name, version, format);
        StreamingOutput out = body::write;
        return Response.ok(out, format.mediaType() + (format == DatasetFormat.CSV ? "; charset=UTF-8" : ""))
                .build();
    }

    @DELETE
    @Path("{name}/versions/{version}/rows")
    @Access({Role.ADMIN})
    @Operation(
            summary = "Purges a version's rows and quarantined rows, keeping its record",
            description = "Frees the storage of an old version without deleting the dataset: the version stays listed"
                    + " with its hashes, counts, schema, validation report and profile, and says when, by whom and why"
                    + " its rows were purged (purged); reading its rows answers 410 from then on. Refused (409) for the"
                    + " latest version and for a version something still needs (a queued or running training, batch"
                    + " or index build pinned to it; a model version serving under an alias that was trained on it),"
                    + " each named in usedBy. Purging a purged version changes nothing. A dataset's retention"
                    + " (PUT retention.keepVersions) does the same for the versions older than its newest ones.")
    @APIResponse(responseCode = "204", description = "Purged (or already purged)")
    public Response purgeRows(
            @PathParam("tenant") String tenant, @PathParam("name") String name, @PathParam("version") int version) {
        datasets.purgeRows(name, version);
        return Response.noContent().build();
    }

    @GET
    @Path("{name}/versions/{version}/quarantine")
    @Produces(NDJSON)
    @Operation(summary = "The version's quarantined rows as NDJSON, each with why it was refused")
    public Response quarantine(
            @PathParam("tenant") String tenant, @PathParam("name") String name, @PathParam("version") int version) {
        DatasetService.StreamBody body = datasets.quarantine(name, version);
        StreamingOutput out = body::write;
        return Response.ok(out, NDJSON).build();
    }
}
