/**
 * The one feature transform shared by training and serving: dataset columns to XGBoost features
 * (numeric, 0/1, native categorical codes, timestamp parts), saved as JSON with every model version.
 */
package io.tenantml.feature;
