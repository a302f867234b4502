package io.tenantml.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantml.shared.VersionPurge;
import java.time.Instant;

/**
 * A stored version as the API shows it: the answer to an upload and to {@code GET .../versions/{v}}.
 *
 * @param provenance where the rows came from, for a version the platform made by appending records (absent
 *     on uploads)
 * @param purged     when and why its rows were purged (they cannot be read any more; the record stays); absent
 *     while they are kept
 */
public record DatasetVersionView(
        String dataset,
        int version,
        long rows,
        long quarantinedRows,
        String sha256,
        Instant createdAt,
        DatasetFormat format,
        long sourceBytes,
        String sourceSha256,
        DatasetSchema schema,
        ValidationReport validation,
        DatasetProfile profile,
        @JsonInclude(JsonInclude.Include.NON_NULL) VersionProvenance provenance,
        @JsonInclude(JsonInclude.Include.NON_NULL) VersionPurge purged) {

    public DatasetVersionRef ref() {
        return new DatasetVersionRef(dataset, version, sha256, rows, createdAt, schema);
    }
}
