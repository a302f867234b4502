/**
 * Mergeable, serialisable summaries of column values, built on Apache DataSketches: KLL quantiles
 * ({@link io.tenantml.statistics.QuantileSketch}), HyperLogLog distinct counts
 * ({@link io.tenantml.statistics.DistinctCountSketch}), frequent values
 * ({@link io.tenantml.statistics.FrequentValuesSketch}), exact moments ({@link io.tenantml.statistics.Moments}),
 * and the per-column profile that combines them ({@link io.tenantml.statistics.ColumnSketch},
 * {@link io.tenantml.statistics.TableSketch}).
 * <p>
 * A library: it depends on no other TenantML feature, knows no tenant and no database, and every feature may
 * use it. Every summary merges (the merge of the summaries of parts answers like the summary of the whole,
 * within the bounds each class documents) and round-trips through bytes in a versioned format of our own
 * (see {@code SketchBytes}), so that stored summaries stay readable by later code. Nothing here is thread-safe:
 * one thread updates a summary, or callers synchronise.
 */
package io.tenantml.statistics;
