package io.tenantml.dataset;

import jakarta.validation.constraints.Size;

/** The body of {@code PUT /datasets/{name}}: everything is optional; a missing schema is inferred on upload. */
public record DatasetDefinition(@Size(max = 2000) String description, DatasetSchema schema, IngestPolicy policy) {}
