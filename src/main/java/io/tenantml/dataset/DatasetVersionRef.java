package io.tenantml.dataset;

import java.time.Instant;

/**
 * An immutable dataset version as other features see it (training, batch prediction, monitoring).
 *
 * @param sha256 of the stored rows file: the same content always yields the same hash
 */
public record DatasetVersionRef(
        String dataset, int version, String sha256, long rows, Instant createdAt, DatasetSchema schema) {}
