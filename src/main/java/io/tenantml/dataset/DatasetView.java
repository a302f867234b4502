package io.tenantml.dataset;

import java.time.Instant;

/**
 * A dataset with its current schema, how many versions it has and its latest one. The versions themselves are a
 * list of their own ({@code GET .../datasets/{name}/versions}, paged): a dataset may have many.
 *
 * @param schemaSource  {@code declared} (PUT), {@code inferred} (frozen from the first version) or null
 * @param versionCount  how many versions the dataset has
 * @param latestVersion the newest version, null before the first upload
 */
public record DatasetView(
        String name,
        String description,
        DatasetSchema schema,
        SchemaSource schemaSource,
        IngestPolicy policy,
        Instant createdAt,
        Instant updatedAt,
        long versionCount,
        VersionSummary latestVersion) {

    /** A version as the list of versions shows it. */
    public record VersionSummary(
            int version, long rows, long quarantinedRows, String sha256, ValidationStatus status, Instant createdAt) {}
}
