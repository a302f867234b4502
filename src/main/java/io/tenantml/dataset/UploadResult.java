package io.tenantml.dataset;

/**
 * @param replayed  true when an Idempotency-Key matched an earlier upload and nothing new was stored
 * @param unchanged true when the upload held what the dataset's latest version holds (same rows, schema,
 *     quarantine and findings), so no version was made and {@code version} is that latest version
 */
public record UploadResult(DatasetVersionView version, boolean replayed, boolean unchanged) {}
