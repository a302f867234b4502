package io.tenantml.dataset;

/**
 * One stored row. {@code values} are aligned with the version's schema columns and typed as
 * {@link ColumnType} says; {@code line} is the row's line (CSV, NDJSON) or 1-based record index (JSON)
 * in the upload, kept so that results can point back at the source.
 */
public record DatasetRow(long line, Object[] values) {}
