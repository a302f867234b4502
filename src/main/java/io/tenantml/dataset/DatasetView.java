package io.tenantml.dataset;

import java.time.Instant;
import java.util.List;

/**
 * A dataset with its current schema and its versions, oldest first.
 *
 * @param schemaSource {@code declared} (PUT), {@code inferred} (frozen from the first version) or null
 */
public record DatasetView(
        String name,
        String description,
        DatasetSchema schema,
        String schemaSource,
        IngestPolicy policy,
        Instant createdAt,
        Instant updatedAt,
        List<VersionSummary> versions) {

    public record VersionSummary(
            int version, long rows, long quarantinedRows, String sha256, String status, Instant createdAt) {}
}
