package io.tenantml.dataset;

import io.tenantml.shared.VersionRetention;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PUT /datasets/{name}}: everything is optional; a missing schema is inferred on upload, and a
 * missing part leaves what the dataset has.
 *
 * @param retention how many versions keep their rows ({@code {}} keeps every version's)
 */
public record DatasetDefinition(
        @Size(max = 2000) String description,
        DatasetSchema schema,
        IngestPolicy policy,
        @Valid VersionRetention retention) {

    public DatasetDefinition(String description, DatasetSchema schema, IngestPolicy policy) {
        this(description, schema, policy, null);
    }
}
