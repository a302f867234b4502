package io.tenantml.dataset;

import java.time.Instant;

/** A stored version as the API shows it: the answer to an upload and to {@code GET .../versions/{v}}. */
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
        DatasetProfile profile) {

    public DatasetVersionRef ref() {
        return new DatasetVersionRef(dataset, version, sha256, rows, createdAt, schema);
    }
}
