package io.tenantml.serving.rest;

import io.tenantml.security.Access;
import io.tenantml.security.Role;
import io.tenantml.serving.PredictRequest;
import io.tenantml.serving.PredictResponse;
import io.tenantml.serving.PredictionService;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/tenants/{tenant}/models/{model}/predict")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Access({Role.ADMIN, Role.INTEGRATION})
public class PredictionResource {

    @Inject
    PredictionService predictions;

    @POST
    public PredictResponse predict(@PathParam("tenant") String tenant, @PathParam("model") String model,
                                   @NotNull PredictRequest request) {
        return predictions.predict(model, request);
    }
}
