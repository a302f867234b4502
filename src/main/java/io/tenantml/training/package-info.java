/**
 * Per-tenant model training: model specs, XGBoost training jobs on Quartz with early stopping, evaluation
 * against baselines, and the gate that decides whether a candidate may replace the production version.
 */
package io.tenantml.training;
