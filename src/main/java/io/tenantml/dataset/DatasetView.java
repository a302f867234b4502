package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantml.shared.VersionPurge;
import io.tenantml.shared.VersionRetention;
import java.time.Instant;

/**
 * A dataset with its current schema, how many versions it has and its latest one. The versions themselves are a
 * list of their own ({@code GET .../datasets/{name}/versions}, paged): a dataset may have many.
 *
 * @param schemaSource  {@code declared} (PUT), {@code inferred} (frozen from the first version) or null
 * @param retention     how many of the newest versions keep their rows ({@code keepVersions} null: all)
 * @param versionCount  how many versions the dataset has
 * @param latestVersion the newest version, null before the first upload
 */
public record DatasetView(
        String name,
        String description,
        DatasetSchema schema,
        SchemaSource schemaSource,
        IngestPolicy policy,
        VersionRetention retention,
        Instant createdAt,
        Instant updatedAt,
        long versionCount,
        VersionSummary latestVersion) {

    /**
     * A version as the list of versions shows it.
     *
     * @param purged when and why its rows were purged; absent while they are kept
     */
    public record VersionSummary(
            int version,
            long rows,
            long quarantinedRows,
            String sha256,
            ValidationStatus status,
            Instant createdAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) VersionPurge purged) {}
}
