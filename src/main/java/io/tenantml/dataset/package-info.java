/**
 * Tenant datasets: ingestion (CSV, NDJSON, JSON), validation against a schema, profiling, and immutable,
 * content-addressed versions. Other features read versions only through {@link io.tenantml.dataset.DatasetReader}.
 * {@link io.tenantml.dataset.CellParser} is the one reading of a raw value in a column, for uploads and for
 * online records alike.
 */
package io.tenantml.dataset;
