package io.tenantml.training;

import jakarta.validation.constraints.Min;

/** Body of {@code POST /models/{m}/trainings}; no version means the latest. */
public record StartTraining(@Min(1) Integer datasetVersion) {}
