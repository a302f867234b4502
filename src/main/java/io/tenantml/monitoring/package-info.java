/**
 * Monitoring: whether what a model sees now differs from what it was trained on. Owns the drift statistics
 * (two-sample tests fed by exact samples or by mergeable sketches), the {@link io.tenantml.monitoring.DriftTest}
 * extension point and the per-model {@link io.tenantml.monitoring.DriftRule}; later also the prediction log,
 * the windows job and the signals built on them (skew, realised and estimated performance).
 */
package io.tenantml.monitoring;
