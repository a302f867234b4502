/**
 * The one feature transform shared by training and serving: dataset columns to XGBoost features
 * (numeric, 0/1, native categorical codes, timestamp parts), saved as JSON with every model version;
 * online records are read with the dataset's {@link io.tenantml.dataset.CellParser}, as uploads are.
 */
package io.tenantml.feature;
