/**
 * Monitoring: whether what a model sees now differs from what it was trained on. Owns the drift statistics
 * (two-sample tests fed by exact samples or by mergeable sketches), the {@link io.tenantml.monitoring.DriftTest}
 * extension point and the per-model {@link io.tenantml.monitoring.DriftRule}; the prediction log
 * ({@link io.tenantml.monitoring.PredictionLog}, the one way serving hands over predictions, and
 * {@link io.tenantml.monitoring.PredictionLogReader}), feedback, and each model version's
 * {@link io.tenantml.monitoring.ReferenceProfile}; later the windows job and the signals built on them.
 * {@link io.tenantml.monitoring.FeedbackDatasets} turns labelled production records back into dataset rows.
 */
package io.tenantml.monitoring;
