package io.tenantml.monitoring.rest;

import io.tenantml.monitoring.DriftCheck;
import io.tenantml.monitoring.DriftChecks;
import io.tenantml.monitoring.ReferenceProfiles;
import io.tenantml.monitoring.ReferenceView;
import io.tenantml.shared.Access;
import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;
import io.tenantml.shared.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Batch drift checks of a dataset version against the production reference, and a version's reference. */
@Path("/api/v1/tenants/{tenant}/models/{model}")
@Produces(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN})
public class DriftCheckResource {

    /**
     * The body of a drift check: which dataset version to compare with the production version's reference (the
     * latest when {@code datasetVersion} is left out, as a training or a batch prediction reads it).
     */
    public record DriftCheckRequest(String dataset, Integer datasetVersion) {}

    @Inject
    DriftChecks checks;

    @Inject
    ReferenceProfiles references;

    @POST
    @Path("/drift-checks")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Compare a dataset version with the production version's reference profile, feature by "
                    + "feature, with the model's drift rule (synchronous; versions up to the configured row limit)")
    public DriftCheck check(
            @PathParam("tenant") String tenant, @PathParam("model") String model, DriftCheckRequest body) {
        if (body == null) {
            throw new ProblemException(Problem.of(
                            400,
                            "invalid-drift-check",
                            "Bad request",
                            "the body must be {\"dataset\", \"datasetVersion\"?}")
                    .with("in", "body"));
        }
        if (body.dataset() == null || body.dataset().isBlank()) {
            throw ProblemException.badField("invalid-drift-check", "dataset", "dataset is required");
        }
        if (body.datasetVersion() != null && body.datasetVersion() < 1) {
            throw ProblemException.badField(
                    "invalid-drift-check",
                    "datasetVersion",
                    "datasetVersion must be a version number from 1 (or left out for the latest), was "
                            + body.datasetVersion());
        }
        return checks.check(model, body.dataset(), body.datasetVersion());
    }

    @GET
    @Path("/versions/{version}/reference")
    @Operation(summary = "The version's reference profile: what it was trained on and how it did on validation")
    public ReferenceView reference(
            @PathParam("tenant") String tenant, @PathParam("model") String model, @PathParam("version") int version) {
        return references
                .find(model, version)
                .map(p -> ReferenceView.of(model, version, p))
                .orElseThrow(() -> ProblemException.notFound(
                        "model '" + model + "' has no version " + version + " with a reference profile"));
    }
}
