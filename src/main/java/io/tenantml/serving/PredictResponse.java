package io.tenantml.serving;

import java.util.List;

/** The predictions, aligned with the request's records, and the version that made them. */
public record PredictResponse(
        String model, int version, List<Prediction> predictions, List<PredictionWarning> warnings) {}
