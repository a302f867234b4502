package io.tenantml.serving.rest;

import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tenantml.serving.PredictRequest;
import io.tenantml.serving.PredictResponse;
import io.tenantml.serving.PredictionService;
import io.tenantml.shared.Access;
import io.tenantml.shared.NotAudited;
import io.tenantml.shared.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/tenants/{tenant}/models/{model}/predict")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN, Role.INTEGRATION})
public class PredictionResource {

    @Inject
    PredictionService predictions;

    /**
     * Runs on the I/O thread: a warm request (alias known, model loaded, few records) is answered right
     * there, without the hop to a worker thread that would cost more than the prediction; anything that
     * may block goes to a worker thread. The request is checked by the service (an absent body is a 400
     * there), not by a method-validation interceptor, which cost more than scoring one record.
     */
    @POST
    @NonBlocking
    @NotAudited("data plane: scoring changes no configuration; every prediction is in the prediction log and metered")
    @Operation(
            summary =
                    "Scores records with the production version (or a named alias or version), optionally with SHAP contributions per feature")
    public Uni<PredictResponse> predict(
            @PathParam("tenant") String tenant, @PathParam("model") String model, PredictRequest request) {
        Optional<CompletionStage<PredictResponse>> warm = predictions.predictWithoutBlocking(model, request);
        if (warm.isPresent()) {
            return Uni.createFrom().completionStage(warm.get());
        }
        return Uni.createFrom()
                .item(() -> predictions.predict(model, request))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
