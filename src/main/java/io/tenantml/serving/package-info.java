/**
 * Serving: real-time predictions with explanations from a bounded cache of loaded model versions, batch
 * predictions and precomputed lookups, and the prediction log with feedback that monitoring reads.
 */
package io.tenantml.serving;
