/**
 * Tenant datasets: ingestion (CSV, NDJSON, JSON), validation against a schema, profiling, and immutable,
 * content-addressed versions. Other features read versions only through {@link io.tenantml.dataset.DatasetReader}.
 */
package io.tenantml.dataset;
